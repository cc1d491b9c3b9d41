/** The learning rates a tuned comparison tries, and the schedules that carry them. Pure. */
import { ValidationError } from "../errors";
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
