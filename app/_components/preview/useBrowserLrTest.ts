/**
 * Runs the LR range test in this tab: loads the trainer session (and with it TensorFlow.js) by a
 * dynamic import, starts the same backend as the preview, and reports each iteration to the
 * `browserLrTest` reducer. A new Run stops the one before it.
 */
import { useEffect, useReducer, useRef } from "react";
import type { BrowserBackendPreference } from "../../../training/backend/preferences";
import type { RunConfig } from "../../../training/config";
import type { Split } from "../../../training/data/split";
import type { LrFindSettings } from "../../../training/lrFind/rangeTest";
import { browserLrTest, initialLrTest, type BrowserLrTestState } from "./lrTestState";

export interface BrowserLrTestControls {
  state: BrowserLrTestState;
  run: (test: { runKey: string; config: RunConfig; train: Split; settings: LrFindSettings; preference: BrowserBackendPreference }) => void;
  /** Stops within one iteration. */
  stop: () => void;
}

export function useBrowserLrTest(): BrowserLrTestControls {
  const [state, dispatch] = useReducer(browserLrTest, initialLrTest);
  const abort = useRef<AbortController | null>(null);
  const nextId = useRef(0);

  useEffect(() => () => abort.current?.abort(), []);

  async function go(id: number, test: Parameters<BrowserLrTestControls["run"]>[0], signal: AbortSignal): Promise<void> {
    try {
      const session = await import("../../../training/preview/session");
      await session.startBackend(test.preference);
      const result = await session.runLrFind({
        config: test.config,
        train: test.train,
        settings: test.settings,
        signal,
        onIteration: (progress) => dispatch({ type: "iteration", id, progress }),
      });
      dispatch({ type: "finished", id, result });
    } catch (e) {
      dispatch(signal.aborted ? { type: "stopped", id } : { type: "failed", id, message: (e as Error).message });
    }
  }

  return {
    state,
    run: (test) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      nextId.current += 1;
      dispatch({ type: "start", id: nextId.current, runKey: test.runKey, numIt: test.settings.numIt });
      void go(nextId.current, test, controller.signal);
    },
    stop: () => abort.current?.abort(),
  };
}
