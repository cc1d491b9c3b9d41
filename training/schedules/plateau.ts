/**
 * ReduceLROnPlateau as a pure reducer over epoch ends, by Keras's rules
 * (keras/src/callbacks/reduce_lr_on_plateau.py) or PyTorch's (torch/optim/lr_scheduler.py, 1.13).
 * Keras: cooldown counts down first (resetting the wait); then an improvement resets the wait, or,
 * outside cooldown, the wait grows and on reaching `patience` the lr drops (if above minLr) and
 * cooldown restarts. PyTorch: the wait (num_bad_epochs) grows first, cooldown then zeroes it, and
 * only a wait above `patience` reduces — by less than eps (1e-8) not at all, the counters resetting anyway.
 */
import { z } from "zod";
import { integer, positive } from "./fields";
import type { ScheduleOf } from "./spec";

export const plateauStateSchema = z.strictObject({
  lr: positive(),
  /** Best monitored value so far; null before the first (finite) value. */
  best: z.number().nullable(),
  wait: integer(0, Number.MAX_SAFE_INTEGER),
  cooldown: integer(0, Number.MAX_SAFE_INTEGER),
});

export type PlateauState = z.output<typeof plateauStateSchema>;

export const schedulerStateSchema = z.strictObject({ plateaus: z.array(plateauStateSchema) });

type PlateauSpec = ScheduleOf<"reduceOnPlateau">;

export function initialPlateauState(spec: PlateauSpec): PlateauState {
  return { lr: spec.lr, best: null, wait: 0, cooldown: 0 };
}

/** Accuracies improve upwards, losses downwards (Keras "auto" mode: "acc" in the name). */
export function higherIsBetter(spec: PlateauSpec): boolean {
  return spec.monitor.includes("acc");
}

/** PyTorch ReduceLROnPlateau's default eps: smaller reductions are ignored. */
const PYTORCH_EPS = 1e-8;

/**
 * Improvement beats the best by more than minDelta (abs), or by the factor 1 ± minDelta (rel,
 * PyTorch's `best·(1 ∓ threshold)`). Both libraries start best at ±inf, so any finite first value
 * improves; NaN (a diverged run) never does. Only finite values can become best, which keeps the
 * state JSON-serialisable.
 */
function improves(spec: PlateauSpec, current: number, best: number | null): boolean {
  if (!Number.isFinite(current)) return false;
  if (best === null) return true;
  const up = higherIsBetter(spec);
  if (spec.thresholdMode === "rel") return up ? current > best * (spec.minDelta + 1) : current < best * (1 - spec.minDelta);
  return up ? current > best + spec.minDelta : current < best - spec.minDelta;
}

/** State after an epoch whose monitored value is `current`; no value (not reported) changes nothing. */
export function plateauAfterEpoch(spec: PlateauSpec, state: PlateauState, current: number | undefined): PlateauState {
  if (current === undefined) return state;
  return spec.convention === "pytorch" ? pytorchStep(spec, state, current) : kerasStep(spec, state, current);
}

function kerasStep(spec: PlateauSpec, state: PlateauState, current: number): PlateauState {
  let { lr, best, wait, cooldown } = state;
  if (cooldown > 0) {
    cooldown -= 1;
    wait = 0;
  }
  if (improves(spec, current, best)) {
    best = current;
    wait = 0;
  } else if (cooldown === 0) {
    wait += 1;
    if (wait >= spec.patience && lr > spec.minLr) {
      lr = Math.max(lr * spec.factor, spec.minLr);
      cooldown = spec.cooldown;
      wait = 0;
    }
  }
  return { lr, best, wait, cooldown };
}

/** ReduceLROnPlateau.step and _reduce_lr of PyTorch 1.13, in its order. */
function pytorchStep(spec: PlateauSpec, state: PlateauState, current: number): PlateauState {
  let { lr, best, wait, cooldown } = state;
  if (improves(spec, current, best)) {
    best = current;
    wait = 0;
  } else {
    wait += 1;
  }
  if (cooldown > 0) {
    cooldown -= 1;
    wait = 0;
  }
  if (wait > spec.patience) {
    const reduced = Math.max(lr * spec.factor, spec.minLr);
    if (lr - reduced > PYTORCH_EPS) lr = reduced;
    cooldown = spec.cooldown;
    wait = 0;
  }
  return { lr, best, wait, cooldown };
}
