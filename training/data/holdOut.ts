/**
 * The validation split: `size` images of a training set held out, class-balanced (size / 10 of
 * each class), always the last ones of each class in stored order — so every seed and every run
 * of a config sees the same split, and a trainLimit subset keeps its own split. Pure, browser-safe.
 */
import { NUM_CLASSES } from "./classes";
import { pickExamples } from "./splitOps";
import type { Split } from "./split";

/** Indices of the held-out examples (ascending) and of the rest (ascending). */
export function validationIndices(labels: ArrayLike<number>, size: number): { val: number[]; train: number[] } {
  if (!Number.isInteger(size) || size <= 0 || size % NUM_CLASSES !== 0)
    throw new RangeError(`valSplit: must be a positive multiple of ${NUM_CLASSES}, got ${size}`);
  const perClass = size / NUM_CLASSES;
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  counts.forEach((n, c) => {
    // At least one image of each class must stay to train on.
    if (n <= perClass) throw new RangeError(`valSplit: ${size} needs more than ${perClass} training images of class ${c}, there are ${n}`);
  });
  const heldOf = new Array<number>(NUM_CLASSES).fill(0);
  const held = new Uint8Array(labels.length);
  for (let i = labels.length - 1; i >= 0; i--) {
    const c = labels[i]!;
    if (heldOf[c]! < perClass) {
      held[i] = 1;
      heldOf[c]! += 1;
    }
  }
  const val: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < labels.length; i++) (held[i] ? val : train).push(i);
  return { val, train };
}

export function holdOutValidation(split: Split, size: number): { train: Split; val: Split } {
  const { val, train } = validationIndices(split.labels.subarray(0, split.count), size);
  return { train: pickExamples(split, train), val: pickExamples(split, val) };
}
