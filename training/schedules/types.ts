import type { z } from "zod";
import type { schedulerStateSchema } from "./plateau";

/** The run a schedule is evaluated over. */
export interface ScheduleContext {
  epochs: number;
  stepsPerEpoch: number;
}

/** Metrics reported after an epoch; only reduceOnPlateau reads them. */
export type EpochMonitorValues = Partial<Record<"loss" | "acc" | "val_loss" | "val_acc", number>>;

/** Checkpointable scheduler state: one entry per reduceOnPlateau in the spec, in tree order. */
export type SchedulerState = z.output<typeof schedulerStateSchema>;

export interface Scheduler {
  /** lr for global step epoch·stepsPerEpoch + stepInEpoch; throws ScheduleRangeError for a non-finite or negative value. */
  lr(epoch: number, stepInEpoch: number): number;
  /**
   * The momentum (SGD's, or β1) a cycling oneCycle/cyclic sets for that step, as PyTorch's
   * cycle_momentum does; null where no cycling part is in force (the optimizer's own applies).
   */
  momentum(epoch: number, stepInEpoch: number): number | null;
  /** Feeds reduceOnPlateau (also inside sequences); a no-op for stateless kinds. */
  endEpoch(epoch: number, values: EpochMonitorValues): void;
  /** JSON-serialisable state, for checkpoints. */
  getState(): SchedulerState;
  /** Restores getState() output; throws ValidationError if it does not fit this schedule. */
  setState(state: unknown): void;
}

/**
 * A moment as one (sub)schedule sees it: `epoch`, `step` and `epochs` are relative to its span;
 * `runEpoch` and `stepInEpoch` are the run's, for error messages.
 */
export interface TimePoint {
  epoch: number;
  step: number;
  epochs: number;
  stepsPerEpoch: number;
  stepInEpoch: number;
  runEpoch: number;
}
