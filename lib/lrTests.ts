/** Inputs of the lrTests procedures: the training core's own schemas, so every door rejects the same things. */
import { z } from "zod";
import { runConfigSchema } from "../training/config";
import { lrFindSettingsSchema, type RangeTestResult } from "../training/lrFind/rangeTest";
import { uuid } from "../training/validation";

export const queueLrTestInput = z.strictObject({
  /** A run config, seed included; its schedule and epochs are validated but not used. */
  config: runConfigSchema,
  settings: lrFindSettingsSchema.optional(),
});

export const lrTestIdInput = z.strictObject({ testId: uuid("an LR test id") });

/** A stored RangeTestResult: JSON has no NaN or Infinity, so a non-finite loss reads back as null. */
export type StoredLrTestResult = Omit<RangeTestResult, "loss" | "smoothLoss"> & { loss: (number | null)[]; smoothLoss: (number | null)[] };
