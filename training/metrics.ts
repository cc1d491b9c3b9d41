import { z } from "zod";

/** A finite number in [min, max], with the bounds in the message. */
const within = (min: number, max: number) => z.number().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`);

const nonNegative = z.number().min(0, "must be ≥ 0");

/** An epoch's wall-clock seconds: a week is far beyond any real epoch and keeps dates computed from sums valid. */
export const MAX_EPOCH_SECONDS = 7 * 24 * 3600;

/**
 * What the trainer reports after each epoch (the history callback's record). `valLoss`/`valAcc` are
 * measured on the run's validation split when its config has `valSplit`, else on the test set (the
 * Keras example's meaning); `testLoss`/`testAcc` always on the test set (absent in older records).
 * The bounds are what a real epoch can report; submitted metrics (browser previews) outside them
 * are bad input.
 */
export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(0),
  lr: nonNegative,
  loss: nonNegative,
  acc: within(0, 1),
  valLoss: nonNegative,
  valAcc: within(0, 1),
  testLoss: nonNegative.optional(),
  testAcc: within(0, 1).optional(),
  seconds: within(0, MAX_EPOCH_SECONDS),
  imagesPerSec: within(0, 1e9),
});
export type EpochMetrics = z.output<typeof epochMetricsSchema>;
