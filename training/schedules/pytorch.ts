/**
 * Ports of PyTorch's stateful schedulers (torch/optim/lr_scheduler.py) to closed forms that
 * give, for step or epoch n, the lr PyTorch's optimizer holds after n calls to `step()`
 * beyond the constructor's own.
 */
import type { ScheduleOf } from "./spec";

/**
 * OneCycleLR (two phases), per batch. Phase ends are `pct_start·total_steps − 1` and
 * `total_steps − 1` as in PyTorch; lr goes initial → max in phase 1, max → min in phase 2.
 */
export function oneCycleLr(s: ScheduleOf<"oneCycle">, step: number, totalSteps: number): number {
  const initialLr = s.maxLr / s.divFactor;
  const minLr = initialLr / s.finalDivFactor;
  const phases = [
    { endStep: s.pctStart * totalSteps - 1, startLr: initialLr, endLr: s.maxLr },
    { endStep: totalSteps - 1, startLr: s.maxLr, endLr: minLr },
  ];
  const anneal = s.anneal === "cos" ? annealCos : annealLinear;
  let startStep = 0;
  for (let i = 0; i < phases.length; i++) {
    const phase = phases[i]!;
    if (step <= phase.endStep || i === phases.length - 1) {
      const length = phase.endStep - startStep;
      // PyTorch divides by zero here (a one-step warm-up, pct_start·total_steps = 1); the only
      // step in such a phase is its end step, so it gets the phase's end lr.
      const pct = length === 0 ? 1 : (step - startStep) / length;
      return anneal(phase.startLr, phase.endLr, pct);
    }
    startStep = phase.endStep;
  }
  throw new Error("unreachable: the last phase always matches");
}

function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/** CyclicLR, per batch, modes triangular and triangular2 (scale_mode "cycle"). */
export function cyclicLr(s: ScheduleOf<"cyclic">, step: number): number {
  const up = s.stepSizeUp;
  const down = s.stepSizeDown ?? up;
  const totalSize = up + down;
  const stepRatio = up / totalSize;
  const cycle = Math.floor(1 + step / totalSize);
  const x = 1.0 + step / totalSize - cycle;
  const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
  const baseHeight = (s.maxLr - s.baseLr) * scaleFactor;
  const scale = s.mode === "triangular" ? 1.0 : 1 / 2.0 ** (cycle - 1);
  return s.baseLr + baseHeight * scale;
}

/**
 * CosineAnnealingWarmRestarts stepped once per epoch. PyTorch's bookkeeping (T_cur += 1; on
 * reaching T_i, T_cur wraps to 0 and T_i *= T_mult) gives integer T_cur, T_i computed here
 * directly: with T_mult = 1 by remainder, otherwise by walking the (geometrically growing) cycles.
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
