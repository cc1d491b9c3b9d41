import * as tf from "@tensorflow/tfjs-core";
import type { Model } from "../model/model";
import type { Optimizer } from "../optimizers/keras";
import { deriveSeed, SeedPurpose } from "../rng";

export interface BatchTensors {
  x: tf.Tensor4D;
  /** Integer labels [batch]. */
  y: tf.Tensor1D;
}

/** NHWC float images and int labels → tensors (the caller disposes them). */
export function toTensors(batch: { x: Float32Array; y: Int32Array; size: number }): BatchTensors {
  return {
    x: tf.tensor4d(batch.x, [batch.size, 32, 32, 3]),
    y: tf.tensor1d(batch.y, "int32"),
  };
}

/** Mean softmax cross-entropy of logits against integer labels, and the number predicted right. */
function lossAndCorrect(logits: tf.Tensor2D, y: tf.Tensor1D): { loss: tf.Scalar; correct: tf.Scalar } {
  const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]), logits) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), "float32")) as tf.Scalar;
  return { loss, correct };
}

/**
 * One optimizer step at learning rate `lr` (and the schedule's cycled `momentum`, if any); returns
 * the batch's mean loss and correct count (read back together, one sync per step).
 */
export async function trainStep(
  model: Model,
  optimizer: Optimizer,
  batch: BatchTensors,
  lr: number,
  dropoutSeed: number,
  momentum?: number,
): Promise<{ loss: number; correct: number }> {
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(batch.x, true, dropoutSeed);
    const out = lossAndCorrect(logits, batch.y);
    correct = tf.keep(out.correct);
    return out.loss;
  }, model.variables as tf.Variable[]);
  optimizer.step(
    model.variables,
    model.variables.map((v) => grads[v.name]!),
    lr,
    momentum,
  );
  const stats = tf.stack([value, correct!]);
  const [loss, right] = await stats.data();
  tf.dispose([value, correct!, stats, ...Object.values(grads)]);
  return { loss: loss!, correct: right! };
}

/**
 * One optimizer step on a host batch, as training takes it: the dropout masks derive from the
 * run's seed and the global step, so every caller (trainer, LR range test) draws the same ones.
 */
export async function trainOnBatch(
  model: Model,
  optimizer: Optimizer,
  batch: { x: Float32Array; y: Int32Array; size: number },
  lr: number,
  runSeed: number,
  globalStep: number,
  momentum?: number,
): Promise<{ loss: number; correct: number }> {
  const tensors = toTensors(batch);
  const dropoutSeed = deriveSeed(SeedPurpose.dropout, runSeed, globalStep);
  return trainStep(model, optimizer, tensors, lr, dropoutSeed, momentum).finally(() => tf.dispose([tensors.x, tensors.y]));
}

/** Loss sum and correct count over one evaluation batch (no dropout, no update). */
export async function evalBatch(model: Model, batch: BatchTensors): Promise<{ lossSum: number; correct: number }> {
  const stats = tf.tidy(() => {
    const { loss, correct } = lossAndCorrect(model.apply(batch.x, false), batch.y);
    return tf.stack([tf.mul(loss, batch.x.shape[0]), correct]);
  });
  const [lossSum, correct] = await stats.data();
  stats.dispose();
  return { lossSum: lossSum!, correct: correct! };
}
