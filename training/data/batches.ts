/**
 * Mini-batches for training and evaluation. Every random choice derives from (seed, epoch,
 * batch index), so resuming at `startBatch` reproduces an uninterrupted pass bit for bit.
 * Browser-safe (the preview batches slices the server sends).
 */
import { z } from "zod";
import { parseOrThrow } from "../errors";
import { deriveSeed, rng, SeedPurpose, shuffleInPlace } from "../rng";
import { IMAGE_BYTES } from "./classes";
import { drawAugment, writeAugmented, writeScaled } from "./augment";
import type { Split } from "./split";

export const BatchOptionsSchema = z.object({
  batchSize: z.number().int().positive(),
  seed: z.number().int(),
  epoch: z.number().int().nonnegative(),
  shuffle: z.boolean(),
  augment: z.boolean(),
  /** Batches of this epoch already consumed (resume point). */
  startBatch: z.number().int().nonnegative().optional(),
});
export type BatchOptions = z.infer<typeof BatchOptionsSchema>;

/** x: size×32×32×3 floats in [0, 1] (NHWC); y: labels. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  size: number;
}

/** Batches in one epoch; the last may be partial. */
export function batchCount(count: number, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  return Math.ceil(count / batchSize);
}

/** Example order of an epoch: identity, or the shuffle seeded by (seed, epoch). */
export function epochOrder(count: number, seed: number, epoch: number, shuffle: boolean): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  if (shuffle) shuffleInPlace(order, rng(deriveSeed(SeedPurpose.shuffle, seed, epoch)));
  return order;
}

/** The batches of one epoch, from `startBatch` on. Options are checked before the first batch. */
export function iterateBatches(split: Split, options: BatchOptions): Generator<Batch> {
  const opts = parseOrThrow(BatchOptionsSchema, options, ["batches"]);
  checkSplit(split);
  const total = batchCount(split.count, opts.batchSize);
  const startBatch = opts.startBatch ?? 0;
  if (startBatch > total) {
    throw new RangeError(
      `startBatch ${startBatch} is past the end of the epoch: ${split.count} examples make ${total} batches of ${opts.batchSize}`,
    );
  }
  return generateBatches(split, opts, startBatch, total);
}

/** Evaluation pass: stored order, no augmentation. */
export function evalBatches(split: Split, batchSize: number): Generator<Batch> {
  return iterateBatches(split, { batchSize, seed: 0, epoch: 0, shuffle: false, augment: false });
}

function* generateBatches(split: Split, opts: BatchOptions, startBatch: number, total: number): Generator<Batch> {
  const order = epochOrder(split.count, opts.seed, opts.epoch, opts.shuffle);
  for (let b = startBatch; b < total; b++) {
    const start = b * opts.batchSize;
    const size = Math.min(opts.batchSize, split.count - start);
    const x = new Float32Array(size * IMAGE_BYTES);
    const y = new Int32Array(size);
    // One generator per batch, so skipping to any batch costs nothing.
    const rand = opts.augment ? rng(deriveSeed(SeedPurpose.augment, opts.seed, opts.epoch, b)) : undefined;
    for (let i = 0; i < size; i++) {
      const index = order[start + i]!;
      y[i] = split.labels[index]!;
      if (rand) writeAugmented(split.images, index * IMAGE_BYTES, x, i * IMAGE_BYTES, drawAugment(rand));
      else writeScaled(split.images, index * IMAGE_BYTES, x, i * IMAGE_BYTES);
    }
    yield { x, y, size };
  }
}

function checkSplit(split: Split): void {
  if (!Number.isInteger(split.count) || split.count < 0)
    throw new RangeError(`split.count must be a non-negative integer, got ${split.count}`);
  if (split.labels.length < split.count || split.images.length < split.count * IMAGE_BYTES) {
    throw new RangeError(
      `split claims ${split.count} examples but holds ${split.labels.length} labels and ${split.images.length / IMAGE_BYTES} images`,
    );
  }
}
