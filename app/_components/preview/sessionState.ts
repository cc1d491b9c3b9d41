/**
 * The browser preview's session as a pure state machine: the page's phase, the backend, and per
 * run its state, epochs, checkpoint to resume from, live batch numbers and what was attached or
 * queued. `usePreviewSession` drives the trainer and dispatches here; the view only reads. No
 * React, so it is unit-tested directly. Updates for a run that is not in the session (a late
 * callback after Reset) are ignored.
 */
import type { LoadedBackend } from "../../../training/backend/preferences";
import type { Split } from "../../../training/data/split";
import type { EpochMetrics } from "../../../training/metrics";
import type { Predictions, TrainResult } from "../../../training/trainer/types";

export type RunState = "waiting" | "training" | "stopped" | "succeeded" | "diverged" | "failed";

/** idle: Start; loading/training: Stop; stopped: Resume; done: every selected run finished. */
export type Phase = "idle" | "loading" | "training" | "stopped" | "done";

/** Live numbers of the batch just finished. */
export interface LiveBatch {
  epoch: number;
  batch: number;
  batches: number;
  lr: number;
  loss: number;
  imagesPerSec: number;
}

export interface RunProgress {
  state: RunState;
  epochs: EpochMetrics[];
  /** Where a stopped run resumes (also kept after each epoch; dropped once the run has ended). */
  checkpoint?: Uint8Array;
  live?: LiveBatch;
  message?: string;
  /** The stored preview run's id, once attached to the comparison. */
  attached?: string;
  queued?: boolean;
}

/** The sample grid: test images, labelled by `runKey`'s model after its latest epoch (none yet: null). */
export interface SampleView {
  split: Split;
  predictions: Predictions | null;
  runKey: string | null;
}

export interface PreviewSessionState {
  phase: Phase;
  /** Where a failure returns: idle after Start (press Start again), stopped after Resume (resume again). */
  afterFailure: "idle" | "stopped";
  backend: LoadedBackend | null;
  renderer: string | null;
  loadMessage: string | null;
  error: string | null;
  /** The runs of this session (the selection at Start), by key. Empty: nothing started. */
  runs: Readonly<Record<string, RunProgress>>;
  /** The run trained last (or now). */
  current: string | null;
  samples: SampleView | null;
}

export type PreviewAction =
  | { type: "start"; keys: readonly string[] }
  | { type: "resume" }
  | { type: "backendReady"; backend: LoadedBackend; renderer: string | null }
  | { type: "loading"; message: string }
  | { type: "dataLoaded"; sample: Split }
  | { type: "trainingStarted" }
  /** The run's preview config does not parse (e.g. the subset is smaller than a batch). */
  | { type: "runInvalid"; key: string; message: string }
  | { type: "runStarted"; key: string }
  | { type: "batch"; key: string; live: LiveBatch }
  | { type: "epoch"; key: string; metrics: EpochMetrics; checkpoint: Uint8Array; sample: Split; predictions?: Predictions }
  | { type: "runEnded"; key: string; result: Pick<TrainResult, "outcome" | "checkpoint" | "reason"> }
  | { type: "allDone" }
  /** Stop pressed while the backend or the images were loading. */
  | { type: "aborted" }
  | { type: "failed"; message: string }
  | { type: "reset" }
  | { type: "attached"; key: string; runId: string }
  | { type: "queued"; key: string };

export const initialPreviewSession: PreviewSessionState = {
  phase: "idle",
  afterFailure: "idle",
  backend: null,
  renderer: null,
  loadMessage: null,
  error: null,
  runs: {},
  current: null,
  samples: null,
};

/** Something to show: a session was started and not reset. */
export function isStarted(state: PreviewSessionState): boolean {
  return Object.keys(state.runs).length > 0;
}

/** Loading or training: Stop is the only control. */
export function isBusy(state: PreviewSessionState): boolean {
  return state.phase === "loading" || state.phase === "training";
}

/**
 * What a Start or Resume trains, in order: every run of `keys` not yet finished (succeeded or
 * diverged), each from its checkpoint when it has one. Start passes no runs (all afresh).
 */
export function trainingPlan(runs: Readonly<Record<string, RunProgress>>, keys: readonly string[]): { key: string; resume?: Uint8Array }[] {
  return keys.flatMap((key) => {
    const run = runs[key];
    if (run?.state === "succeeded" || run?.state === "diverged") return [];
    return [{ key, resume: run?.checkpoint }];
  });
}

export function previewSession(state: PreviewSessionState, action: PreviewAction): PreviewSessionState {
  switch (action.type) {
    case "start":
      return {
        ...state,
        phase: "loading",
        afterFailure: "idle",
        error: null,
        runs: Object.fromEntries(action.keys.map((key) => [key, { state: "waiting", epochs: [] }])),
      };
    case "resume":
      return { ...state, phase: "loading", afterFailure: "stopped", error: null };
    case "backendReady":
      return { ...state, backend: action.backend, renderer: action.renderer };
    case "loading":
      return { ...state, loadMessage: action.message };
    case "dataLoaded":
      return { ...state, loadMessage: null, samples: { split: action.sample, predictions: null, runKey: null } };
    case "trainingStarted":
      return { ...state, phase: "training" };
    case "runInvalid":
      return patchRun(state, action.key, () => ({ state: "failed", message: action.message }));
    case "runStarted": {
      const next = patchRun(state, action.key, () => ({ state: "training", message: undefined }));
      return next === state ? state : { ...next, current: action.key };
    }
    case "batch":
      return patchRun(state, action.key, () => ({ live: action.live }));
    case "epoch": {
      const next = patchRun(state, action.key, (run) => ({ epochs: [...run.epochs, action.metrics], checkpoint: action.checkpoint }));
      if (next === state || !action.predictions) return next;
      return { ...next, samples: { split: action.sample, predictions: action.predictions, runKey: action.key } };
    }
    case "runEnded": {
      const { outcome, checkpoint, reason } = action.result;
      if (outcome === "aborted") {
        const next = patchRun(state, action.key, () => ({ state: "stopped", checkpoint }));
        return next === state ? state : { ...next, phase: "stopped" };
      }
      return patchRun(state, action.key, () =>
        outcome === "diverged"
          ? { state: "diverged", message: reason, checkpoint: undefined }
          : { state: "succeeded", checkpoint: undefined },
      );
    }
    case "allDone":
      return { ...state, phase: "done", current: null };
    case "aborted":
      return { ...state, phase: "stopped" };
    case "failed":
      return { ...state, phase: state.afterFailure, error: action.message, loadMessage: null };
    case "reset":
      // The backend stays loaded; an error stays shown until the next Start.
      return { ...state, phase: "idle", runs: {}, current: null, samples: null };
    case "attached":
      return patchRun(state, action.key, () => ({ attached: action.runId }));
    case "queued":
      return patchRun(state, action.key, () => ({ queued: true }));
  }
}

function patchRun(state: PreviewSessionState, key: string, change: (run: RunProgress) => Partial<RunProgress>): PreviewSessionState {
  const run = state.runs[key];
  if (!run) return state;
  return { ...state, runs: { ...state.runs, [key]: { ...run, ...change(run) } } };
}
