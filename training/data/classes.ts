/** CIFAR-10's classes and image geometry. Browser-safe. */

/** Class names in CIFAR-10's label order (label i is CIFAR10_CLASSES[i]). */
export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"] as const;

export type ClassName = (typeof CIFAR10_CLASSES)[number];

export const NUM_CLASSES = CIFAR10_CLASSES.length;
export const IMAGE_SIZE = 32;
export const CHANNELS = 3;
/** Bytes of one image: 32 rows × 32 columns × 3 channels (HWC). */
export const IMAGE_BYTES = IMAGE_SIZE * IMAGE_SIZE * CHANNELS;

/** Label of a class folder name, or undefined when the name is not a CIFAR-10 class. */
export function classLabel(name: string): number | undefined {
  const index = (CIFAR10_CLASSES as readonly string[]).indexOf(name);
  return index < 0 ? undefined : index;
}

/** Counts of each label 0–9 in `labels`. */
export function countPerClass(labels: Uint8Array): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}
