/**
 * The preview page's in-browser LR range test as a pure state machine: which run it tests, the
 * curve so far (one point per iteration), and how it ended. `useBrowserLrTest` runs the test and
 * dispatches here. Every action carries the id of the test it belongs to; one from an earlier test
 * (a late callback after Stop and a new Run) is ignored. No React, so it is unit-tested directly.
 */
import {
  lrFindSettingsSchema,
  MAX_NUM_IT,
  MIN_NUM_IT,
  type LrFindSettings,
  type RangeTestProgress,
  type RangeTestResult,
} from "../../../training/lrFind/rangeTest";
import { integerText } from "../../../training/validation";

/** Iterations by default in the browser: half of fastai's 100, so the test takes about 50 batches. */
export const BROWSER_NUM_IT = 50;

/** running: Stop; done: the full result; stopped: the partial curve, no suggestions; failed: the error. */
export type LrTestPhase = "idle" | "running" | "done" | "stopped" | "failed";

export interface BrowserLrTestState {
  phase: LrTestPhase;
  /** The test the state belongs to (0: none yet). */
  id: number;
  runKey: string | null;
  numIt: number;
  /** The curve so far; the suggestions are null until the test finishes. */
  result: RangeTestResult | null;
  error: string | null;
}

export type LrTestAction =
  | { type: "start"; id: number; runKey: string; numIt: number }
  | { type: "iteration"; id: number; progress: RangeTestProgress }
  | { type: "finished"; id: number; result: RangeTestResult }
  | { type: "stopped"; id: number }
  | { type: "failed"; id: number; message: string };

export const initialLrTest: BrowserLrTestState = { phase: "idle", id: 0, runKey: null, numIt: BROWSER_NUM_IT, result: null, error: null };

const NO_SUGGESTIONS = { valley: null, steep: null, minimum: null };

export function browserLrTest(state: BrowserLrTestState, action: LrTestAction): BrowserLrTestState {
  if (action.type === "start") {
    return {
      phase: "running",
      id: action.id,
      runKey: action.runKey,
      numIt: action.numIt,
      result: { lr: [], loss: [], smoothLoss: [], suggestions: NO_SUGGESTIONS, stoppedEarly: false },
      error: null,
    };
  }
  if (action.id !== state.id || state.phase !== "running") return state;
  switch (action.type) {
    case "iteration": {
      const { lr, loss, smoothLoss } = action.progress;
      const curve = state.result ?? { lr: [], loss: [], smoothLoss: [], suggestions: NO_SUGGESTIONS, stoppedEarly: false };
      return {
        ...state,
        result: { ...curve, lr: [...curve.lr, lr], loss: [...curve.loss, loss], smoothLoss: [...curve.smoothLoss, smoothLoss] },
      };
    }
    case "finished":
      return { ...state, phase: "done", result: action.result };
    case "stopped":
      return { ...state, phase: "stopped" };
    case "failed":
      return { ...state, phase: "failed", error: action.message };
  }
}

/** The settings for an "Iterations" entry (fastai's start and end lr), or why it is refused. */
export function browserLrTestSettings(numItText: string): LrFindSettings | string {
  const numIt = integerText(MIN_NUM_IT, MAX_NUM_IT).safeParse(numItText);
  if (!numIt.success) return `Iterations: ${numIt.error.issues[0]?.message ?? "invalid"}`;
  return lrFindSettingsSchema.parse({ numIt: numIt.data });
}

/** One line on the test: progress while it runs, how it ended otherwise. */
export function lrTestStatus(state: BrowserLrTestState): string | null {
  const done = state.result?.lr.length ?? 0;
  switch (state.phase) {
    case "idle":
      return null;
    case "running":
      return `LR test running: iteration ${done} of ${state.numIt}`;
    case "done":
      return state.result?.stoppedEarly
        ? `LR test done: stopped early after ${done} iterations (the loss diverged)`
        : `LR test done: ${done} iterations`;
    case "stopped":
      return `LR test stopped after ${done} of ${state.numIt} iterations: no suggestions`;
    case "failed":
      return `LR test failed: ${state.error ?? "unknown error"}`;
  }
}
