import { z } from "zod";

/**
 * What the trainer reports after each epoch (the history callback's record). `valLoss`/`valAcc` are
 * measured on the run's validation split when its config has `valSplit`, else on the test set (the
 * Keras example's meaning); `testLoss`/`testAcc` always on the test set (absent in older records).
 */
export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(0),
  lr: z.number(),
  loss: z.number(),
  acc: z.number(),
  valLoss: z.number(),
  valAcc: z.number(),
  testLoss: z.number().optional(),
  testAcc: z.number().optional(),
  seconds: z.number(),
  imagesPerSec: z.number(),
});
export type EpochMetrics = z.output<typeof epochMetricsSchema>;
