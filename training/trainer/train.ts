import * as tf from "@tensorflow/tfjs-core";
import { canonicalJson, stepsPerEpoch } from "../config";
import { iterateBatches, batchCount } from "../data/batches";
import { holdOutValidation } from "../data/holdOut";
import type { EpochMetrics } from "../metrics";
import { createModel, type Model } from "../model/model";
import { createOptimizer, type Optimizer } from "../optimizers/keras";
import { createScheduler, cyclesMomentum, type Scheduler } from "../schedules/scheduler";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from "./checkpoint";
import { evalBatch, toTensors, trainOnBatch } from "./step";
import type { Predictions, TrainOptions, TrainResult } from "./types";
import { yieldToEventLoop } from "./yieldToEventLoop";

const EVAL_BATCH = 500;
/**
 * A batch loss above this ends the run as diverged. A uniform guess over 10 classes scores
 * ln 10 ≈ 2.3 and confidently wrong models score tens; a blown-up float32 network can sit at
 * 1e22 for many steps without ever reaching NaN (like PyTorch Lightning's divergence_threshold).
 */
export const DIVERGENCE_LOSS = 1000;

interface Partial {
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
}

/**
 * The one trainer behind the worker, the browser preview and the CLI. The caller initialises the
 * tfjs backend. Per-step lr comes from the schedule; each epoch ends with a metrics record and a
 * checkpoint handed to `onEpoch`; an abort returns a checkpoint at the last finished batch.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { config, signal } = options;
  // With a validation split, its images never reach a training batch; without one, "val" is the test set.
  const split = config.valSplit === undefined ? null : holdOutValidation(options.data.train, config.valSplit);
  const evaluateTest = options.evaluateTest ?? true;
  if (!split && !evaluateTest) throw new Error("internal: a run that never reads the test set needs a validation split");
  const trainSplit = split?.train ?? options.data.train;
  const spe = stepsPerEpoch({ batchSize: config.batchSize, trainLimit: options.data.train.count, valSplit: config.valSplit });
  if (batchCount(trainSplit.count, config.batchSize) !== spe) throw new Error("internal: batch count mismatch");
  const model = createModel(config.model, config.seed);
  const optimizer = createOptimizer(config.optimizer, { cycledMomentum: cyclesMomentum(config.schedule) });
  const scheduler = createScheduler(config.schedule, { epochs: config.epochs, stepsPerEpoch: spe });
  const configJson = canonicalJson(config);
  let position = { epoch: 0, batch: 0 };
  let partial: Partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
  const epochs: EpochMetrics[] = [];

  try {
    if (options.resume) {
      const restored = restore(options.resume, configJson, model, optimizer, scheduler);
      position = restored.position;
      partial = restored.partial;
    }
    // Schedule-free optimizers evaluate at x while the variables (and checkpoints) hold y.
    const atEvalPoint = async <T>(run: () => Promise<T>) => {
      optimizer.useEvalParams?.(model.variables);
      try {
        return await run();
      } finally {
        optimizer.useTrainParams?.(model.variables);
      }
    };
    const snapshot = async () => encodeCheckpoint(await captureState(configJson, position, partial, model, optimizer, scheduler));

    for (let epoch = position.epoch; epoch < config.epochs; epoch++) {
      const startBatch = epoch === position.epoch ? position.batch : 0;
      if (startBatch === 0) partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      let epochLr = scheduler.lr(epoch, 0);
      const started = performance.now();
      let batchIndex = startBatch;
      for (const batch of iterateBatches(trainSplit, {
        batchSize: config.batchSize,
        seed: config.seed,
        epoch,
        shuffle: true,
        augment: config.augment,
        startBatch,
      })) {
        if (signal?.aborted) {
          position = { epoch, batch: batchIndex };
          partial.seconds += (performance.now() - started) / 1000;
          return { outcome: "aborted", epochs, checkpoint: await snapshot() };
        }
        const lr = scheduler.lr(epoch, batchIndex);
        if (batchIndex === 0) epochLr = lr;
        const momentum = scheduler.momentum(epoch, batchIndex) ?? undefined;
        const step = await trainOnBatch(model, optimizer, batch, lr, config.seed, epoch * spe + batchIndex, momentum);
        if (!(step.loss <= DIVERGENCE_LOSS)) {
          const what = Number.isFinite(step.loss) ? `${step.loss.toPrecision(4)} exceeds ${DIVERGENCE_LOSS}` : `is ${step.loss}`;
          return { outcome: "diverged", epochs, reason: `loss ${what} at epoch ${epoch}, batch ${batchIndex} (lr ${lr})` };
        }
        partial.lossSum += step.loss * batch.size;
        partial.correct += step.correct;
        partial.seen += batch.size;
        batchIndex += 1;
        const progress = options.onBatch?.({
          epoch,
          batch: batchIndex,
          batches: spe,
          loss: partial.lossSum / partial.seen,
          lr,
          stepLoss: step.loss,
        });
        if (progress) await progress;
        await yieldToEventLoop(); // heartbeats, cancel checks and SIGTERM run between batches
      }
      const trainSeconds = partial.seconds + (performance.now() - started) / 1000;
      const evalStarted = performance.now();
      const test = evaluateTest ? await atEvalPoint(() => evaluate(model, options.data.test)) : null;
      const val = split ? await atEvalPoint(() => evaluate(model, split.val)) : test!;
      const metrics: EpochMetrics = {
        epoch,
        lr: epochLr,
        loss: partial.lossSum / partial.seen,
        acc: partial.correct / partial.seen,
        valLoss: val.loss,
        valAcc: val.acc,
        ...(test ? { testLoss: test.loss, testAcc: test.acc } : {}),
        seconds: trainSeconds + (performance.now() - evalStarted) / 1000,
        imagesPerSec: partial.seen / trainSeconds,
      };
      scheduler.endEpoch(epoch, { loss: metrics.loss, acc: metrics.acc, val_loss: metrics.valLoss, val_acc: metrics.valAcc });
      position = { epoch: epoch + 1, batch: 0 };
      partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      epochs.push(metrics);
      let live = true;
      const predictNow = (examples: TrainOptions["data"]["test"]) =>
        live ? atEvalPoint(() => predict(model, examples)) : Promise.reject(new Error("predict() is only usable inside onEpoch"));
      try {
        await options.onEpoch?.({ metrics, checkpoint: await snapshot(), predict: predictNow });
      } finally {
        live = false;
      }
    }
    return { outcome: "succeeded", epochs };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Mean loss and accuracy over a whole split, without dropout. */
export async function evaluate(model: Model, split: TrainOptions["data"]["test"]): Promise<{ loss: number; acc: number }> {
  let lossSum = 0;
  let correct = 0;
  for (const batch of iterateBatches(split, { batchSize: EVAL_BATCH, seed: 0, epoch: 0, shuffle: false, augment: false })) {
    const tensors = toTensors(batch);
    const result = await evalBatch(model, tensors).finally(() => tf.dispose([tensors.x, tensors.y]));
    lossSum += result.lossSum;
    correct += result.correct;
    await yieldToEventLoop();
  }
  return { loss: lossSum / split.count, acc: correct / split.count };
}

/** The model's most probable class and its probability for each example, in order. */
export async function predict(model: Model, split: TrainOptions["data"]["test"]): Promise<Predictions> {
  const labels = new Int32Array(split.count);
  const confidence = new Float32Array(split.count);
  let at = 0;
  for (const batch of iterateBatches(split, { batchSize: EVAL_BATCH, seed: 0, epoch: 0, shuffle: false, augment: false })) {
    const out = tf.tidy(() => {
      const probs = tf.softmax(model.apply(tf.tensor4d(batch.x, [batch.size, 32, 32, 3]), false));
      return tf.concat([tf.cast(tf.argMax(probs, 1), "float32"), tf.max(probs, 1)]);
    });
    const values = await out.data().finally(() => out.dispose());
    for (let i = 0; i < batch.size; i++) {
      labels[at + i] = values[i]!;
      confidence[at + i] = values[batch.size + i]!;
    }
    at += batch.size;
  }
  return { labels, confidence };
}

async function captureState(
  config: string,
  position: { epoch: number; batch: number },
  partial: Partial,
  model: Model,
  optimizer: Optimizer,
  scheduler: Scheduler,
) {
  const state = optimizer.getState();
  const slotTensors = state.slots.flat();
  // Asynchronous reads: backends such as WebGPU in Node cannot read synchronously.
  const tensors = await Promise.all([...model.variables, ...slotTensors].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(slotTensors);
  return {
    format: 1 as const,
    config,
    position: { ...position },
    partial: { ...partial },
    scheduler: scheduler.getState(),
    optimizerIterations: state.iterations,
    ...(state.scalars ? { optimizerScalars: state.scalars } : {}),
    weightShapes: model.variables.map((v) => [...v.shape]),
    slotCount: state.slots.length,
    tensors,
  };
}

function restore(bytes: Uint8Array, configJson: string, model: Model, optimizer: Optimizer, scheduler: Scheduler) {
  const checkpoint = decodeCheckpoint(bytes);
  if (checkpoint.config !== configJson) throw new CheckpointError("it belongs to a run with a different config");
  const n = model.variables.length;
  const shapesMatch =
    checkpoint.weightShapes.length === n &&
    checkpoint.weightShapes.every((shape, i) => tf.util.arraysEqual(shape, model.variables[i]!.shape));
  if (!shapesMatch) throw new CheckpointError("its weights do not match the model");
  tf.tidy(() => model.variables.forEach((v, i) => v.assign(tf.tensor(checkpoint.tensors[i]!, v.shape))));
  const slots = Array.from({ length: checkpoint.slotCount }, (_, s) =>
    model.variables.map((v, i) => tf.tensor(checkpoint.tensors[n * (s + 1) + i]!, v.shape)),
  );
  try {
    if (checkpoint.optimizerIterations > 0 || checkpoint.slotCount > 0)
      optimizer.setState({ iterations: checkpoint.optimizerIterations, slots, scalars: checkpoint.optimizerScalars }, model.variables);
  } catch (error) {
    throw new CheckpointError((error as Error).message);
  } finally {
    tf.dispose(slots.flat());
  }
  try {
    scheduler.setState(checkpoint.scheduler);
  } catch (error) {
    throw new CheckpointError(`schedule state: ${(error as Error).message}`);
  }
  return { position: checkpoint.position, partial: checkpoint.partial };
}
