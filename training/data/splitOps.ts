/** Small operations on Splits used while preparing. Pure. */
import { IMAGE_BYTES } from "./classes";
import type { Split } from "./split";

/** Examples at `indices`, in that order. */
export function pickExamples(split: Split, indices: ArrayLike<number>): Split {
  const count = indices.length;
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
    labels[k] = split.labels[i]!;
    images.set(split.images.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES), k * IMAGE_BYTES);
  }
  return { images, labels, count };
}

/** Indices of the first `max` examples of each class, in their order. */
export function firstPerClass(labels: ArrayLike<number>, max: number): number[] {
  const seen = new Map<number, number>();
  const kept: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const n = seen.get(label) ?? 0;
    if (n < max) kept.push(i);
    seen.set(label, n + 1);
  }
  return kept;
}
