import { z } from "zod";
import { parseOrThrow, ValidationError } from "./errors";
import { MODEL_NAMES } from "./model/names";
import { checkMomentumCycling } from "./momentumCycling";
import { optimizerSpecSchema } from "./optimizers/spec";
import { checkScheduleOverRun } from "./schedules/scheduler";
import { scheduleSpecSchema } from "./schedules/spec";
import { integer } from "./validation";

/** CIFAR-10's split sizes: the upper bounds of the subset limits. */
export const CIFAR10_TRAIN_SIZE = 50_000;
export const CIFAR10_TEST_SIZE = 10_000;
export const MAX_EPOCHS = 1000;
export const MAX_SEED = 2 ** 32 - 1;
export const MAX_VAL_SPLIT = CIFAR10_TRAIN_SIZE / 2;

const int = integer;

/** A run: one model trained on CIFAR-10 with one optimizer and one schedule. */
export const runConfigSchema = z.strictObject({
  model: z.enum(MODEL_NAMES).default("keras-cifar10-cnn"),
  dataset: z.literal("cifar10").default("cifar10"),
  epochs: int(1, MAX_EPOCHS),
  batchSize: int(1, 4096),
  optimizer: optimizerSpecSchema,
  schedule: scheduleSpecSchema,
  seed: int(0, MAX_SEED).default(0),
  trainLimit: int(1, CIFAR10_TRAIN_SIZE).optional(),
  testLimit: int(1, CIFAR10_TEST_SIZE).optional(),
  /**
   * Training images held out as the validation split (training/data/holdOut.ts): class-balanced,
   * the same for every seed. Without it, "val" metrics are measured on the test set.
   */
  valSplit: int(10, MAX_VAL_SPLIT).multipleOf(10, "must be a multiple of 10 (the split is class-balanced)").optional(),
  augment: z.boolean().default(false),
});

export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** Images trained on per epoch: the training set (or its limit) less the validation split. */
export function trainedImages(config: Pick<RunConfig, "trainLimit" | "valSplit">): number {
  return (config.trainLimit ?? CIFAR10_TRAIN_SIZE) - (config.valSplit ?? 0);
}

export function stepsPerEpoch(config: Pick<RunConfig, "trainLimit" | "valSplit" | "batchSize">): number {
  return Math.ceil(trainedImages(config) / config.batchSize);
}

/**
 * Validate a run config from any door (CLI, API, worker). Besides the schema, the schedule is
 * evaluated over the whole run so that a formula that goes negative or infinite at epoch 80
 * is rejected now rather than when the worker reaches it.
 */
export function parseRunConfig(input: unknown): RunConfig {
  return checkRunSchedule(parseOrThrow(runConfigSchema, input));
}

/** parseRunConfig's second half, for doors that check limits and counts on the parsed config in between. */
export function checkRunSchedule(config: RunConfig): RunConfig {
  if (config.valSplit !== undefined && trainedImages(config) < 10)
    throw new ValidationError([
      {
        path: "valSplit",
        message: `must leave at least 10 images to train on (the training set has ${config.trainLimit ?? CIFAR10_TRAIN_SIZE})`,
      },
    ]);
  const issues = [
    ...checkMomentumCycling(config),
    ...checkScheduleOverRun(config.schedule, {
      epochs: config.epochs,
      stepsPerEpoch: stepsPerEpoch(config),
    }),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  return config;
}

/** JSON with keys sorted at every level, so equal configs serialise equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * sha256 of the parsed config without its seed: runs that differ only in seed share it, which is
 * what groups seeds into one leaderboard row and lets identical work be reused.
 */
export async function configHash(config: RunConfig): Promise<string> {
  const { seed: _seed, ...rest } = config;
  const bytes = new TextEncoder().encode(canonicalJson(rest));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
