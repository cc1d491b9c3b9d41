import { z } from "zod";

/** What the trainer reports after each epoch (the history callback's record). */
export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(0),
  lr: z.number(),
  loss: z.number(),
  acc: z.number(),
  valLoss: z.number(),
  valAcc: z.number(),
  seconds: z.number(),
  imagesPerSec: z.number(),
});
export type EpochMetrics = z.output<typeof epochMetricsSchema>;
