/**
 * The LR range test's arithmetic, ported from fastai 2.7 `fastai/callback/schedule.py` (`LRFinder`,
 * `Learner.lr_find`, `valley`, `steep`, `minimum`) and `fastai/learner.py` (`AvgSmoothLoss`).
 * Pure: the caller supplies one training step per iteration. Arithmetic is float64 (fastai's runs in
 * float32 tensors), and a non-finite loss, not only NaN, stops the test and cuts the suggestions.
 */
import { z } from "zod";
import { integer, positive } from "../schedules/fields";

export const MAX_NUM_IT = 10_000;
export const MIN_NUM_IT = 6;

export const lrFindSettingsSchema = z
  .strictObject({
    startLr: positive().default(1e-7),
    endLr: positive().default(10),
    // fastai raises anything below 6 to 6; we refuse it rather than change the request silently.
    numIt: integer(MIN_NUM_IT, MAX_NUM_IT).default(100),
  })
  .refine((s) => s.endLr > s.startLr, { error: "must be greater than the start lr", path: ["endLr"] });
export type LrFindSettings = z.output<typeof lrFindSettingsSchema>;

/** β of fastai's `AvgSmoothLoss`. */
export const SMOOTH_BETA = 0.98;
/** Suggestions ignore this many final iterations (fastai's `[num_it//10:-5]`). */
const SKIP_END = 5;

/** The lr of iteration i (0-based): fastai's `SchedExp(start, end)` at position i/numIt. */
export function rampLr(i: number, { startLr, endLr, numIt }: LrFindSettings): number {
  return startLr * (endLr / startLr) ** (i / numIt);
}

/** Debiased exponential moving average of the raw batch losses (fastai `AvgSmoothLoss`). */
export class LossSmoother {
  private avg = 0;
  private count = 0;
  push(loss: number): number {
    this.count += 1;
    this.avg = SMOOTH_BETA * this.avg + (1 - SMOOTH_BETA) * loss;
    return this.avg / (1 - SMOOTH_BETA ** this.count);
  }
}

/** fastai's divergence stop: the best is updated first, then a smoothed loss above 4× it (or not finite) stops. */
export class DivergenceStop {
  private best = Infinity;
  shouldStop(smooth: number): boolean {
    if (smooth < this.best) this.best = smooth;
    return !Number.isFinite(smooth) || smooth > 4 * this.best;
  }
}

export interface Suggestions {
  /** fastai's default: two thirds of the way down the longest valley. */
  valley: number | null;
  /** The lr at the most negative slope of loss against log lr. */
  steep: number | null;
  /** The lr of the lowest loss, divided by 10. */
  minimum: number | null;
}

/**
 * The three suggestions from the smoothed losses, as `Learner.lr_find` computes them: the slice
 * `[numIt//10 : -5]`, cut at the first non-finite loss. null where that leaves too few points.
 */
export function suggest(lrs: readonly number[], smoothLosses: readonly number[], numIt: number): Suggestions {
  const from = Math.floor(numIt / 10);
  const to = Math.max(from, smoothLosses.length - SKIP_END);
  let losses = smoothLosses.slice(from, to);
  const bad = losses.findIndex((l) => !Number.isFinite(l));
  if (bad >= 0) losses = losses.slice(0, bad);
  const sliced = lrs.slice(from, from + losses.length);
  if (losses.length === 0) return { valley: null, steep: null, minimum: null };
  return { valley: valley(sliced, losses), steep: steep(sliced, losses), minimum: minimum(sliced, losses) };
}

/** fastai `valley`: longest strictly decreasing run (not necessarily contiguous), then 2/3 along it. */
function valley(lrs: readonly number[], losses: readonly number[]): number {
  const n = losses.length;
  let maxStart = 0;
  let maxEnd = 0;
  const lds = new Array<number>(n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  // maxStart can be -1, making idx -1: Python then reads the last element, and so do we.
  return lrs[idx < 0 ? idx + n : idx]!;
}

/** fastai `steep`: the left lr of the segment with the most negative d(loss)/d(ln lr); the first on ties. */
function steep(lrs: readonly number[], losses: readonly number[]): number | null {
  if (losses.length < 2) return null;
  let best = 0;
  let bestGrad = Infinity;
  for (let i = 0; i + 1 < losses.length; i++) {
    const grad = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (grad < bestGrad) {
      bestGrad = grad;
      best = i;
    }
  }
  return lrs[best]!;
}

/** fastai `minimum`: the lr of the lowest loss (the first on ties) over 10. */
function minimum(lrs: readonly number[], losses: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! < losses[best]!) best = i;
  return lrs[best]! / 10;
}

export interface RangeTestResult {
  lr: number[];
  /** Raw batch losses. */
  loss: number[];
  smoothLoss: number[];
  suggestions: Suggestions;
  /** True when the divergence rule ended the test before numIt iterations. */
  stoppedEarly: boolean;
}

export interface RangeTestProgress {
  iteration: number;
  numIt: number;
  lr: number;
  loss: number;
  smoothLoss: number;
}

/**
 * Runs the test: iteration i trains one step at `rampLr(i)` and returns its batch loss; the test
 * stops after numIt iterations or after the one the divergence rule flags (which is kept). A
 * promise from `onIteration` is awaited before the next step.
 */
export async function runRangeTest(
  settings: LrFindSettings,
  step: (lr: number, iteration: number) => Promise<number>,
  onIteration?: (progress: RangeTestProgress) => void | Promise<void>,
): Promise<RangeTestResult> {
  const smoother = new LossSmoother();
  const stop = new DivergenceStop();
  const result: RangeTestResult = {
    lr: [],
    loss: [],
    smoothLoss: [],
    suggestions: { valley: null, steep: null, minimum: null },
    stoppedEarly: false,
  };
  for (let i = 0; i < settings.numIt; i++) {
    const lr = rampLr(i, settings);
    const loss = await step(lr, i);
    const smooth = smoother.push(loss);
    result.lr.push(lr);
    result.loss.push(loss);
    result.smoothLoss.push(smooth);
    await onIteration?.({ iteration: i, numIt: settings.numIt, lr, loss, smoothLoss: smooth });
    if (stop.shouldStop(smooth)) {
      result.stoppedEarly = i + 1 < settings.numIt;
      break;
    }
  }
  result.suggestions = suggest(result.lr, result.smoothLoss, settings.numIt);
  return result;
}
