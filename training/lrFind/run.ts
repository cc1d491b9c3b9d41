/**
 * The LR range test on a real model: fresh weights and optimizer from the run's config, one step
 * per iteration at the ramp's lr, batches drawn exactly as training draws them (shuffled and
 * augmented per epoch from the run's seed, cycling epochs as fastai's `lr_find` does). Nothing it
 * trains is kept. The caller initialises the tfjs backend.
 */
import type { RunConfig } from "../config";
import { iterateBatches, type Batch } from "../data/batches";
import type { Split } from "../data/split";
import { createModel } from "../model/model";
import { createOptimizer } from "../optimizers/keras";
import { trainOnBatch } from "../trainer/step";
import { runRangeTest, type LrFindSettings, type RangeTestProgress, type RangeTestResult } from "./rangeTest";

export interface LrFindOptions {
  /** Model, optimizer, batch size, seed and augmentation are used; the schedule and epochs are not. */
  config: RunConfig;
  train: Split;
  settings: LrFindSettings;
  /** Stops within one batch; `lrFind` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** After each iteration; a returned promise is awaited (the browser yields to the page here). */
  onIteration?: (progress: RangeTestProgress) => void | Promise<void>;
}

export async function lrFind(options: LrFindOptions): Promise<RangeTestResult> {
  const { config, train, settings, signal } = options;
  const model = createModel(config.model, config.seed);
  const optimizer = createOptimizer(config.optimizer);
  const batches = trainingBatches(train, config);
  try {
    return await runRangeTest(
      settings,
      async (lr, i) => {
        signal?.throwIfAborted();
        const batch = batches.next();
        if (batch.done) throw new Error("internal: the batch stream ended");
        return (await trainOnBatch(model, optimizer, batch.value, lr, config.seed, i)).loss;
      },
      options.onIteration,
    );
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Epoch after epoch of training batches, so iteration i is training's global step i. */
function* trainingBatches(train: Split, config: RunConfig): Generator<Batch> {
  if (train.count === 0) return;
  for (let epoch = 0; ; epoch++)
    yield* iterateBatches(train, { batchSize: config.batchSize, seed: config.seed, epoch, shuffle: true, augment: config.augment });
}
