/**
 * The browser preview's driver: start a tfjs backend (WebGL, else cpu) and train one config with
 * the one trainer the worker uses, reporting epochs (with sample predictions) and batches.
 * Loaded only by the preview page, through a dynamic import, so tfjs stays off other pages.
 * No React here.
 */
import { initBrowserBackend, type BrowserBackendPreference, type LoadedBackend } from "../backend/browser";
import type { RunConfig } from "../config";
import type { Split } from "../data/split";
import { lrFind, type LrFindOptions } from "../lrFind/run";
import type { RangeTestResult } from "../lrFind/rangeTest";
import type { EpochMetrics } from "../metrics";
import { train } from "../trainer/train";
import type { Predictions, TrainResult } from "../trainer/types";

export type { LoadedBackend, Predictions };

let started: Promise<LoadedBackend> | undefined;
let startedWith: BrowserBackendPreference | undefined;

/** Starts the backend once per page (again only when the preference changes). */
export function startBackend(preference: BrowserBackendPreference = "auto"): Promise<LoadedBackend> {
  if (!started || startedWith !== preference) {
    startedWith = preference;
    started = initBrowserBackend(preference);
    started.catch(() => {
      started = undefined;
    });
  }
  return started;
}

/** What the GPU driver reports (WebGL's unmasked renderer where allowed), for display and benchmarks. */
export function webglRenderer(): string | null {
  try {
    const canvas = document.createElement("canvas");
    const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

export interface PreviewEpoch {
  metrics: EpochMetrics;
  checkpoint: Uint8Array;
  /** Predictions for the sample examples after this epoch (absent when no sample was given). */
  predictions?: Predictions;
}

export interface PreviewProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  lr: number;
  /** Training images per second over this epoch's batches so far (this call only). */
  imagesPerSec: number;
}

export interface PreviewOptions {
  /** Already `previewConfig`-ed: its trainLimit/testLimit match the splits. */
  config: RunConfig;
  train: Split;
  test: Split;
  /** A few test images to label after every epoch. */
  sample?: Split;
  signal?: AbortSignal;
  resume?: Uint8Array;
  onEpoch?: (epoch: PreviewEpoch) => void;
  onBatch?: (progress: PreviewProgress) => void;
}

/**
 * Trains on whatever backend `startBackend` set up. Resolves with the trainer's result
 * (`aborted` carries the checkpoint to resume from). Gives the page a turn at least every
 * YIELD_MS, so it stays responsive and a Stop click lands between batches.
 */
export async function runPreview(options: PreviewOptions): Promise<TrainResult> {
  const { config } = options;
  let epochAt = -1;
  let since = { batch: 0, time: 0 };
  let lastYield = performance.now();
  return train({
    config,
    data: { train: options.train, test: options.test },
    signal: options.signal,
    resume: options.resume,
    onBatch: (p) => {
      const now = performance.now();
      if (p.epoch !== epochAt) {
        epochAt = p.epoch;
        since = { batch: p.batch, time: now };
      }
      const seen = Math.min(p.batch * config.batchSize, options.train.count) - since.batch * config.batchSize;
      const seconds = (now - since.time) / 1000;
      options.onBatch?.({ ...p, imagesPerSec: seconds > 0 ? seen / seconds : 0 });
      if (now - lastYield < YIELD_MS) return;
      lastYield = now;
      return yieldToPage();
    },
    onEpoch: async ({ metrics, checkpoint, predict }) => {
      const predictions = options.sample && predict ? await predict(options.sample) : undefined;
      options.onEpoch?.({ metrics, checkpoint, predictions });
      await yieldToPage();
    },
  });
}

/**
 * The LR range test (training/lrFind/run.ts) on whatever backend `startBackend` set up, giving the
 * page a turn at least every YIELD_MS so its curve draws and a Stop lands between iterations.
 */
export function runLrFind(options: LrFindOptions): Promise<RangeTestResult> {
  let lastYield = performance.now();
  return lrFind({
    ...options,
    onIteration: async (progress) => {
      await options.onIteration?.(progress);
      const now = performance.now();
      if (now - lastYield < YIELD_MS) return;
      lastYield = now;
      await yieldToPage();
    },
  });
}

/** Longest stretch of batches without giving the page a turn (cpu steps never yield by themselves). */
const YIELD_MS = 50;

/** A macrotask turn (MessageChannel: not throttled like setTimeout in background tabs). */
function yieldToPage(): Promise<void> {
  if (typeof MessageChannel === "undefined") return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
