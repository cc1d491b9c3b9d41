import { z } from "zod";
import { parseOrThrow, ValidationError } from "./errors";
import { MODEL_NAMES } from "./model/names";
import { optimizerSpecSchema } from "./optimizers/spec";
import { checkScheduleOverRun } from "./schedules/scheduler";
import { scheduleSpecSchema } from "./schedules/spec";

/** CIFAR-10's split sizes: the upper bounds of the subset limits. */
export const CIFAR10_TRAIN_SIZE = 50_000;
export const CIFAR10_TEST_SIZE = 10_000;
export const MAX_EPOCHS = 1000;
export const MAX_SEED = 2 ** 32 - 1;

const int = (min: number, max: number) => z.number().int("must be an integer").min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`);

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
  augment: z.boolean().default(false),
});

export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

export function stepsPerEpoch(config: Pick<RunConfig, "trainLimit" | "batchSize">): number {
  return Math.ceil((config.trainLimit ?? CIFAR10_TRAIN_SIZE) / config.batchSize);
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
  const issues = checkScheduleOverRun(config.schedule, {
    epochs: config.epochs,
    stepsPerEpoch: stepsPerEpoch(config),
  });
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
