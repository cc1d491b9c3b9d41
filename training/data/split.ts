/** The in-memory form of a set of examples, shared by the cache, slices and batching. Browser-safe. */
import { z } from "zod";

export const SplitNameSchema = z.enum(["train", "test"]);
export type SplitName = z.infer<typeof SplitNameSchema>;
export const SPLIT_NAMES = SplitNameSchema.options;

/** `count` examples: labels 0–9 and 32×32×3 uint8 pixels each, HWC, image i at i*3072. */
export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}
