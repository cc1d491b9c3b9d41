/**
 * Closed forms of the stateless schedules, each a pure function of the time relative to the
 * schedule's own span. Written exactly as the contract states them, in float64.
 */
import type { ScheduleOf } from "./spec";
import type { TimePoint } from "./types";

/** The epoch a formula sees: the epoch index, or with `unit: "step"` the fractional step/stepsPerEpoch. */
export function epochTime(s: { unit?: "epoch" | "step" }, t: TimePoint): number {
  return s.unit === "step" ? t.step / t.stepsPerEpoch : t.epoch;
}

/** Keras 2 `SGD(decay=…)`: lr / (1 + decay·iterations), per batch. */
export function timeBasedLr(s: ScheduleOf<"timeBased">, step: number): number {
  return s.lr / (1 + s.decay * step);
}

/** The article's step decay, as written: lr · drop^floor((1 + epoch) / epochsDrop). */
export function stepDecayLr(s: ScheduleOf<"step">, epoch: number): number {
  return s.lr * Math.pow(s.drop, Math.floor((1 + epoch) / s.epochsDrop));
}

export function exponentialLr(s: ScheduleOf<"exponential">, epoch: number): number {
  return s.lr * Math.exp(-s.k * epoch);
}

/**
 * PyTorch PolynomialLR (closed form) with Keras 3 PolynomialDecay's end value
 * (keras/src/optimizers/schedules/learning_rate_schedule.py): held at endLr past tMax. Without tMax,
 * the span and no hold, as before the field existed.
 */
export function powerLr(s: ScheduleOf<"power">, epoch: number, epochs: number): number {
  const endLr = s.endLr ?? 0;
  const progress = s.tMax === undefined ? epoch / epochs : Math.min(epoch, s.tMax) / s.tMax;
  return (s.lr - endLr) * Math.pow(1 - progress, s.power) + endLr;
}

/** Keras PiecewiseConstantDecay on epochs: values[i], i = number of boundaries b < epoch. */
export function piecewiseLr(s: ScheduleOf<"piecewise">, epoch: number): number {
  return s.values[countBelow(s.boundaries, epoch, false)]!;
}

/** PyTorch MultiStepLR: lr · gamma^(number of milestones m ≤ epoch). */
export function multiStepLr(s: ScheduleOf<"multiStep">, epoch: number): number {
  return s.lr * Math.pow(s.gamma, countBelow(s.milestones, epoch, true));
}

/** PyTorch CosineAnnealingLR's closed form with T_max = tMax (default the span); it climbs again past T_max. */
export function cosineLr(s: ScheduleOf<"cosine">, epoch: number, epochs: number): number {
  return s.minLr + ((s.lr - s.minLr) * (1 + Math.cos((Math.PI * epoch) / (s.tMax ?? epochs)))) / 2;
}

/** from + (to − from)·t/T over the span's steps: starts at `from`, ends one step short of `to`. */
export function linearLr(s: ScheduleOf<"linear">, step: number, totalSteps: number): number {
  return s.from + ((s.to - s.from) * step) / totalSteps;
}

/** How many entries of an ascending list are < x (or ≤ x when `inclusive`). */
function countBelow(sorted: readonly number[], x: number, inclusive: boolean): number {
  let n = 0;
  while (n < sorted.length && (inclusive ? sorted[n]! <= x : sorted[n]! < x)) n++;
  return n;
}
