/** The learning rates a tuned comparison tries, and the schedules that carry them. Pure. */
import { z } from "zod";
import { ValidationError } from "../errors";
import { integer } from "../validation";
import type { ScheduleSpec } from "../schedules/spec";

/** DeepOBS-style default when no LR range test has been run for the config. */
export const DEFAULT_LR_RANGE: readonly [number, number] = [1e-4, 1];
export const DEFAULT_SWEEP_SIZE = 8;
export const DEFAULT_FINAL_SEEDS = 3;

/** `n` learning rates evenly spaced in log between `lo` and `hi`, both included. */
export function logSpaced(n: number, [lo, hi]: readonly [number, number]): number[] {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`n: must be an integer ≥ 2, got ${n}`);
  if (!(lo > 0 && hi > lo)) throw new RangeError(`lr range: need 0 < low < high, got ${lo} … ${hi}`);
  const a = Math.log(lo);
  const step = (Math.log(hi) - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : i === 0 ? lo : Math.exp(a + i * step)));
}

/** The schedule with its base learning rate set to `lr`; only schedules with an `lr` field can be tuned this way. */
export function withLr(schedule: ScheduleSpec, lr: number): ScheduleSpec {
  if (!("lr" in schedule)) throw new ValidationError([{ path: "schedule.kind", message: `'${schedule.kind}' has no lr field to tune` }]);
  return { ...schedule, lr };
}

/**
 * The range swept when an LR range test of the config exists: a decade below its lowest
 * suggestion to a decade above its highest, so the sweep brackets every suggestion with room on
 * both sides; null when the test made no suggestion.
 */
export function rangeAroundSuggestions(suggestions: readonly (number | null)[]): [number, number] | null {
  const lrs = suggestions.filter((lr): lr is number => lr !== null && Number.isFinite(lr) && lr > 0);
  if (lrs.length === 0) return null;
  return [Math.min(...lrs) / 10, Math.max(...lrs) * 10];
}

export const MAX_SWEEP_SIZE = 16;
export const MAX_FINAL_SEEDS = 10;

/** What "Tune lr" on a run draft asks for; the range comes from the server (an LR range test, or the default). */
export const tuneSettingsSchema = z.strictObject({
  n: integer(2, MAX_SWEEP_SIZE).default(DEFAULT_SWEEP_SIZE),
  k: integer(1, MAX_FINAL_SEEDS).default(DEFAULT_FINAL_SEEDS),
  halving: z.boolean().default(false),
});
export type TuneSettings = z.output<typeof tuneSettingsSchema>;
