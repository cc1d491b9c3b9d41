/**
 * Ports of PyTorch's stateful schedulers (torch/optim/lr_scheduler.py) to closed forms that
 * give, for step or epoch n, the lr PyTorch's optimizer holds after n calls to `step()`
 * beyond the constructor's own.
 */
import type { ScheduleOf } from "./spec";

/** PyTorch's defaults for cycle_momentum: OneCycleLR 0.85/0.95, CyclicLR 0.8/0.9. */
const MOMENTUM_DEFAULTS = { oneCycle: { base: 0.85, max: 0.95 }, cyclic: { base: 0.8, max: 0.9 } } as const;

/** The momentum range a cycling spec runs over, PyTorch's defaults filling what is not set. */
function momentumRange(s: ScheduleOf<"oneCycle" | "cyclic">): { base: number; max: number } {
  const defaults = MOMENTUM_DEFAULTS[s.kind];
  return { base: s.baseMomentum ?? defaults.base, max: s.maxMomentum ?? defaults.max };
}

type Level = "initial" | "max" | "min";
interface Phase {
  endStep: number;
  lr: [Level, Level];
  /** Momentum runs inversely: "max" and "base" are baseMomentum/maxMomentum. */
  momentum: ["max" | "base", "max" | "base"];
}

/**
 * OneCycleLR's phases: ends at `pct_start·total_steps − 1` (and `2·pct_start·total_steps − 2` with
 * three_phase) and `total_steps − 1`, as in PyTorch. fastai's fit_one_cycle (fastai/callback/schedule.py,
 * combined_cos at pos = step/total) puts them at `pct·total` and `total`.
 */
function oneCyclePhases(s: ScheduleOf<"oneCycle">, totalSteps: number): Phase[] {
  if (s.convention === "fastai") {
    return [
      { endStep: s.pctStart * totalSteps, lr: ["initial", "max"], momentum: ["max", "base"] },
      { endStep: totalSteps, lr: ["max", "min"], momentum: ["base", "max"] },
    ];
  }
  const rise = { endStep: s.pctStart * totalSteps - 1, lr: ["initial", "max"], momentum: ["max", "base"] } satisfies Phase;
  if (s.threePhase === true) {
    return [
      rise,
      { endStep: 2 * s.pctStart * totalSteps - 2, lr: ["max", "initial"], momentum: ["base", "max"] },
      { endStep: totalSteps - 1, lr: ["initial", "min"], momentum: ["max", "max"] },
    ];
  }
  return [rise, { endStep: totalSteps - 1, lr: ["max", "min"], momentum: ["base", "max"] }];
}

/** The phase a step falls in and how far through it (0…1), as OneCycleLR.get_lr walks them. */
function oneCyclePosition(s: ScheduleOf<"oneCycle">, step: number, totalSteps: number): { phase: Phase; pct: number } {
  const phases = oneCyclePhases(s, totalSteps);
  let startStep = 0;
  for (let i = 0; i < phases.length; i++) {
    const phase = phases[i]!;
    if (step <= phase.endStep || i === phases.length - 1) {
      const length = phase.endStep - startStep;
      // PyTorch divides by zero here (a one-step warm-up, pct_start·total_steps = 1); the only
      // step in such a phase is its end step, so it gets the phase's end value.
      return { phase, pct: length === 0 ? 1 : (step - startStep) / length };
    }
    startStep = phase.endStep;
  }
  throw new Error("unreachable: the last phase always matches");
}

/** OneCycleLR per batch: lr goes initial → max (→ initial with three phases) → min. */
export function oneCycleLr(s: ScheduleOf<"oneCycle">, step: number, totalSteps: number): number {
  const initial = s.maxLr / s.divFactor;
  const levels = { initial, max: s.maxLr, min: initial / s.finalDivFactor };
  const { phase, pct } = oneCyclePosition(s, step, totalSteps);
  return annealOf(s)(levels[phase.lr[0]], levels[phase.lr[1]], pct);
}

/** OneCycleLR's cycle_momentum: the same phases and annealing, between max and base momentum. */
export function oneCycleMomentum(s: ScheduleOf<"oneCycle">, step: number, totalSteps: number): number {
  const range = momentumRange(s);
  const { phase, pct } = oneCyclePosition(s, step, totalSteps);
  return annealOf(s)(range[phase.momentum[0]], range[phase.momentum[1]], pct);
}

const annealOf = (s: ScheduleOf<"oneCycle">) => (s.anneal === "cos" ? annealCos : annealLinear);

function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/**
 * CyclicLR.get_lr: where the step sits in its triangle (0 at the base, 1 at the peak) and the
 * amplitude's scale (1, 1/2^(cycle−1) for triangular2, gamma^iteration for exp_range).
 */
function cyclicPosition(s: ScheduleOf<"cyclic">, step: number): { scaleFactor: number; scale: number } {
  const up = s.stepSizeUp;
  const down = s.stepSizeDown ?? up;
  const totalSize = up + down;
  const stepRatio = up / totalSize;
  const cycle = Math.floor(1 + step / totalSize);
  const x = 1.0 + step / totalSize - cycle;
  const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
  const scale = s.mode === "triangular" ? 1.0 : s.mode === "triangular2" ? 1 / 2.0 ** (cycle - 1) : (s.gamma ?? 1.0) ** step;
  return { scaleFactor, scale };
}

/** CyclicLR, per batch. */
export function cyclicLr(s: ScheduleOf<"cyclic">, step: number): number {
  const { scaleFactor, scale } = cyclicPosition(s, step);
  const baseHeight = (s.maxLr - s.baseLr) * scaleFactor;
  return s.baseLr + baseHeight * scale;
}

/** CyclicLR's cycle_momentum: max momentum at the base lr, falling as the lr rises. */
export function cyclicMomentum(s: ScheduleOf<"cyclic">, step: number): number {
  const { base, max } = momentumRange(s);
  const { scaleFactor, scale } = cyclicPosition(s, step);
  const baseHeight = (max - base) * scaleFactor;
  return max - baseHeight * scale;
}

/**
 * CosineAnnealingWarmRestarts at an epoch that may be fractional (`step(epoch + i/iters)`). PyTorch's
 * bookkeeping (T_cur += 1; on reaching T_i, T_cur wraps to 0 and T_i *= T_mult) is computed here
 * directly: with T_mult = 1 by remainder, otherwise by walking the (geometrically growing) cycles,
 * whose integer starts are exact where PyTorch's `step(epoch)` takes a logarithm.
 */
export function cosineRestartsLr(s: ScheduleOf<"cosineRestarts">, epoch: number): number {
  let tCur: number;
  let tI = s.t0;
  if (s.tMult === 1) {
    tCur = epoch % s.t0;
  } else {
    let cycleStart = 0;
    while (epoch - cycleStart >= tI) {
      cycleStart += tI;
      tI *= s.tMult;
    }
    tCur = epoch - cycleStart;
  }
  return s.minLr + ((s.lr - s.minLr) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
}
