import type { RunConfig } from "../config";
import type { Split } from "../data/split";
import type { EpochMetrics } from "../metrics";

/** How a call to `train` ended. `aborted`: the signal fired; a checkpoint at the batch boundary is returned. */
export type TrainOutcome = "succeeded" | "diverged" | "aborted";

export interface EpochReport {
  metrics: EpochMetrics;
  /** Everything needed to resume after this epoch (weights, optimizer and schedule state, position). */
  checkpoint: Uint8Array;
  /**
   * Class predictions of the model as it stands after this epoch (no dropout), e.g. for a grid of
   * sample images. Usable only until `onEpoch`'s promise settles; afterwards it rejects. `train`
   * always sets it; optional so reports built elsewhere (tests, replays) need not.
   */
  predict?: (examples: Split) => Promise<Predictions>;
}

/** One entry per example, in the order given. */
export interface Predictions {
  /** The most probable class, 0–9. */
  labels: Int32Array;
  /** Its softmax probability. */
  confidence: Float32Array;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  /** The learning rate the batch just finished was trained with. */
  lr: number;
  /** That batch's own mean loss (`loss` is the epoch's running mean). */
  stepLoss: number;
}

export interface TrainOptions {
  config: RunConfig;
  data: { train: Split; test: Split };
  signal?: AbortSignal;
  /**
   * false: the test set is never read (metrics carry no test loss/accuracy) — for selection runs,
   * which must see only the validation split; needs `valSplit`. Default true.
   */
  evaluateTest?: boolean;
  /** Checkpoint bytes from an earlier `onEpoch` or an aborted result: training continues from there. */
  resume?: Uint8Array;
  /** Awaited before the next epoch starts, so a caller can persist metrics and checkpoint together. */
  onEpoch?: (report: EpochReport) => Promise<void> | void;
  /**
   * After each batch. A returned promise is awaited before the next batch, so a browser caller
   * can yield to the page (paint, clicks on Stop) on backends whose steps never do.
   */
  onBatch?: (progress: BatchProgress) => void | Promise<void>;
}

export interface TrainResult {
  outcome: TrainOutcome;
  /** Epochs completed in this call (not those before `resume`). */
  epochs: EpochMetrics[];
  /** With `aborted`: the state at the last finished batch, to resume from. */
  checkpoint?: Uint8Array;
  /** With `diverged`: where and how, e.g. "loss is NaN at epoch 0, batch 3" (see DIVERGENCE_LOSS). */
  reason?: string;
}
