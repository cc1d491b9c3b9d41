/**
 * Drives the browser preview: loads the trainer session (training/preview/session.ts, and with it
 * TensorFlow.js) by a dynamic import when Start is pressed, fetches the CIFAR-10 subset, trains
 * the selected runs one after another and reports every step to the `previewSession` reducer.
 */
import { useEffect, useReducer, useRef } from "react";
import type { RunConfig } from "../../../training/config";
import type { Split } from "../../../training/data/split";
import type { BrowserBackendPreference } from "../../../training/backend/preferences";
import type { PreviewSize } from "../../../training/preview/config";
import { fetchSplit, prefix } from "../../../training/preview/slices";
import { initialPreviewSession, previewSession, trainingPlan, type PreviewSessionState } from "./sessionState";

/** Test images in the sample grid. */
const SAMPLE_COUNT = 16;
/** Batch numbers reach the page at most this often (and always at an epoch's last batch). */
const BATCH_UI_MS = 150;

export interface PreviewSessionInput {
  /** The runs to train, in order (fixed from Start until Reset). */
  selected: readonly string[];
  /** Each run's preview config, or why it has none. */
  configs: ReadonlyMap<string, RunConfig | string>;
  size: PreviewSize;
  preference: BrowserBackendPreference;
  /** Where the CIFAR-10 slices come from when not /api/cifar (DatasetStatus's `url`). */
  datasetUrl?: string;
}

export interface PreviewSessionControls {
  state: PreviewSessionState;
  start: () => void;
  /** Trains the runs not finished yet, a stopped one from its checkpoint. */
  resume: () => void;
  /** Aborts loading or training; the current run stops at a batch boundary. */
  stop: () => void;
  reset: () => void;
  attached: (key: string, runId: string) => void;
  queued: (key: string) => void;
  /** The training subset once loaded (the LR range test trains on it), else null. */
  trainSplit: () => Split | null;
}

export function usePreviewSession({ selected, configs, size, preference, datasetUrl }: PreviewSessionInput): PreviewSessionControls {
  const [state, dispatch] = useReducer(previewSession, initialPreviewSession);
  const abort = useRef<AbortController | null>(null);
  const data = useRef<{ train: Split; test: Split; key: string } | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  /** The subset of the chosen size, fetched again only when the size changes. */
  async function loadData(signal: AbortSignal): Promise<{ train: Split; test: Split }> {
    const key = `${size.trainLimit}/${size.testLimit}`;
    if (data.current?.key === key) return data.current;
    dispatch({ type: "loading", message: "Loading CIFAR-10 images…" });
    const train = await fetchSplit({
      datasetUrl,
      split: "train",
      count: size.trainLimit,
      signal,
      onProgress: (n) => dispatch({ type: "loading", message: `Loading training images… ${n} of ${size.trainLimit}` }),
    });
    const test = await fetchSplit({
      datasetUrl,
      split: "test",
      count: size.testLimit,
      signal,
      onProgress: (n) => dispatch({ type: "loading", message: `Loading test images… ${n} of ${size.testLimit}` }),
    });
    data.current = { train, test, key };
    dispatch({ type: "dataLoaded", sample: prefix(test, SAMPLE_COUNT) });
    return data.current;
  }

  async function go(plan: readonly { key: string; resume?: Uint8Array }[]): Promise<void> {
    const controller = new AbortController();
    abort.current = controller;
    try {
      const session = await import("../../../training/preview/session");
      const backend = await session.startBackend(preference);
      dispatch({ type: "backendReady", backend, renderer: backend.name === "webgl" ? session.webglRenderer() : null });
      const { train, test } = await loadData(controller.signal);
      const sample = prefix(test, SAMPLE_COUNT);
      dispatch({ type: "trainingStarted" });
      for (const { key, resume } of plan) {
        const config = configs.get(key);
        if (typeof config !== "object") {
          dispatch({ type: "runInvalid", key, message: config ?? "unknown run" });
          continue;
        }
        if (controller.signal.aborted) break;
        dispatch({ type: "runStarted", key });
        let lastUi = 0;
        const result = await session.runPreview({
          config,
          train,
          test,
          sample,
          signal: controller.signal,
          resume,
          onBatch: ({ epoch, batch, batches, lr, loss, imagesPerSec }) => {
            const now = performance.now();
            if (now - lastUi < BATCH_UI_MS && batch !== batches) return;
            lastUi = now;
            dispatch({ type: "batch", key, live: { epoch, batch, batches, lr, loss, imagesPerSec } });
          },
          onEpoch: ({ metrics, checkpoint, predictions }) => dispatch({ type: "epoch", key, metrics, checkpoint, sample, predictions }),
        });
        dispatch({ type: "runEnded", key, result });
        if (result.outcome === "aborted") return;
      }
      dispatch({ type: "allDone" });
    } catch (e) {
      dispatch(controller.signal.aborted ? { type: "aborted" } : { type: "failed", message: (e as Error).message });
    }
  }

  return {
    state,
    start: () => {
      dispatch({ type: "start", keys: selected });
      void go(trainingPlan({}, selected));
    },
    resume: () => {
      dispatch({ type: "resume" });
      void go(trainingPlan(state.runs, selected));
    },
    stop: () => abort.current?.abort(),
    reset: () => {
      abort.current?.abort();
      dispatch({ type: "reset" });
    },
    attached: (key, runId) => dispatch({ type: "attached", key, runId }),
    queued: (key) => dispatch({ type: "queued", key }),
    trainSplit: () => data.current?.train ?? null,
  };
}
