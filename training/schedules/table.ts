import type { FieldIssue } from "../errors";
import { createScheduler } from "./create";
import { isPerStep } from "./describe";
import { cyclesMomentum } from "./momentum";
import { ScheduleRangeError } from "./rangeError";
import type { Monitor, ScheduleSpec } from "./spec";
import type { EpochMonitorValues, ScheduleContext } from "./types";

/** Every step's lr, `lr[epoch][stepInEpoch]`, and its momentum when the spec cycles it (null where no cycling part is in force). */
export interface ScheduleTable {
  lr: number[][];
  momentum?: (number | null)[][];
}

/** lr for every step of the run: `result[epoch][stepInEpoch]` (see scheduleTable). */
export function lrTable(spec: ScheduleSpec, ctx: ScheduleContext & { monitor?: readonly number[] }): number[][] {
  return scheduleTable(spec, ctx).lr;
}

/**
 * lr (and cycled momentum) for every step of the run. `monitor[i]` is reported after epoch i
 * under the name each reduceOnPlateau in the spec watches. Throws ScheduleRangeError.
 */
export function scheduleTable(spec: ScheduleSpec, ctx: ScheduleContext & { monitor?: readonly number[] }): ScheduleTable {
  const scheduler = createScheduler(spec, ctx);
  const monitors = monitorsOf(spec);
  const table: number[][] = [];
  const momentum: (number | null)[][] | undefined = cyclesMomentum(spec) ? [] : undefined;
  for (let epoch = 0; epoch < ctx.epochs; epoch++) {
    const row = new Array<number>(ctx.stepsPerEpoch);
    for (let step = 0; step < ctx.stepsPerEpoch; step++) row[step] = scheduler.lr(epoch, step);
    table.push(row);
    momentum?.push(Array.from({ length: ctx.stepsPerEpoch }, (_, step) => scheduler.momentum(epoch, step)));
    const value = ctx.monitor?.[epoch];
    if (value !== undefined) {
      const values: EpochMonitorValues = {};
      for (const name of monitors) values[name] = value;
      scheduler.endEpoch(epoch, values);
    }
  }
  return momentum ? { lr: table, momentum } : { lr: table };
}

/**
 * Formula evaluations validation may spend on the steps inside epochs, whatever the run's length
 * (a 200-epoch run at batch size 1 has 10 million steps): validation costs O(epochs) plus this.
 */
export const STEP_SAMPLE_BUDGET = 1024;

/**
 * Evaluates the run (no monitor values) and reports the first unusable lr, with the field's path
 * and the epoch and step. Schedules constant within epochs are sampled once per epoch; per-step
 * ones at every step when the run is short, else at evenly spaced steps of every epoch, first and
 * last included, within STEP_SAMPLE_BUDGET. The trainer checks every step it trains.
 */
export function checkScheduleOverRun(
  spec: ScheduleSpec,
  ctx: ScheduleContext,
  prefix: readonly PropertyKey[] = ["schedule"],
): FieldIssue[] {
  const scheduler = createScheduler(spec, ctx, prefix);
  const steps = isPerStep(spec) ? sampledSteps(ctx.stepsPerEpoch, Math.max(2, Math.floor(STEP_SAMPLE_BUDGET / ctx.epochs))) : [0];
  try {
    for (let epoch = 0; epoch < ctx.epochs; epoch++) {
      for (const step of steps) scheduler.lr(epoch, step);
    }
  } catch (error) {
    if (error instanceof ScheduleRangeError) return error.issues;
    throw error;
  }
  return [];
}

/** Every step of an epoch when there are at most `count`, else `count` evenly spaced from the first to the last. */
export function sampledSteps(stepsPerEpoch: number, count: number): number[] {
  if (stepsPerEpoch <= count) return Array.from({ length: stepsPerEpoch }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (stepsPerEpoch - 1)) / (count - 1)));
}

/** The metric names watched by the spec's reduceOnPlateau parts. */
export function monitorsOf(spec: ScheduleSpec): Monitor[] {
  if (spec.kind === "reduceOnPlateau") return [spec.monitor];
  if (spec.kind === "sequence") return [...new Set(spec.parts.flatMap((part) => monitorsOf(part.schedule)))];
  return [];
}
