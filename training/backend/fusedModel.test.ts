/**
 * The seed CNN's fused layers (conv + bias + relu and dense + bias + act as single kernels, with
 * hand-written gradients) compute what the plain tfjs ops compute: same logits, same loss
 * gradients for every variable, on wasm and on cpu. The reference below is the network as
 * plain conv2d/add/relu/matMul ops over the model's own variables.
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createModel, countParams, type Model } from "../model/model";
import { deriveSeed } from "../rng";
import { initNodeBackend } from "./node";
import { relativeError, seededValues } from "./testUtil";

const TOLERANCE = 1e-4;
// Small: the cpu backend needs seconds per image for this network's gradients.
const BATCH = 2;

beforeAll(async () => {
  await initNodeBackend("wasm");
});

/** The Keras CIFAR-10 CNN as unfused tfjs ops; dropout exactly as model.ts draws it. */
function referenceLogits(model: Model, x: tf.Tensor4D, dropoutSeed: number): tf.Tensor2D {
  const v = model.variables;
  const conv = (h: tf.Tensor4D, i: number, pad: "same" | "valid") =>
    tf.relu(tf.add(tf.conv2d(h, v[i] as tf.Tensor4D, 1, pad), v[i + 1]!)) as tf.Tensor4D;
  const dropout = (h: tf.Tensor, rate: number, layer: number) => tf.dropout(h, rate, undefined, deriveSeed(dropoutSeed, layer));
  let h = conv(x, 0, "same");
  h = conv(h, 2, "valid");
  h = dropout(tf.maxPool(h, 2, 2, "valid"), 0.25, 3) as tf.Tensor4D;
  h = conv(h, 4, "same");
  h = conv(h, 6, "valid");
  h = dropout(tf.maxPool(h, 2, 2, "valid"), 0.25, 7) as tf.Tensor4D;
  let d = tf.relu(tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]) as tf.Tensor2D, v[8] as tf.Tensor2D), v[9]!));
  d = dropout(d, 0.5, 10);
  return tf.add(tf.matMul(d as tf.Tensor2D, v[10] as tf.Tensor2D), v[11]!) as tf.Tensor2D;
}

function lossAndGrads(model: Model, logitsOf: (x: tf.Tensor4D) => tf.Tensor2D) {
  const x = tf.tensor4d(
    seededValues(BATCH * 32 * 32 * 3, 5).map((u) => (u + 1) / 2),
    [BATCH, 32, 32, 3],
  );
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 4, 9, 0, 3, 3].slice(0, BATCH), "int32"), 10));
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, logitsOf(x)) as tf.Scalar,
    model.variables as tf.Variable[],
  );
  const result = { loss: value.dataSync()[0]!, grads: model.variables.map((w) => grads[w.name]!.dataSync() as Float32Array) };
  tf.dispose([x, labels, value, ...Object.values(grads)]);
  return result;
}

describe("the seed CNN's fused layers", () => {
  it("keep the architecture: 1,250,858 parameters", () => {
    const model = createModel("keras-cifar10-cnn", 1);
    expect(countParams(model)).toBe(1_250_858);
    model.dispose();
  });

  it.each(["wasm", "cpu"])("give the plain ops' loss and gradients on %s (training, with dropout)", async (backend) => {
    await tf.setBackend(backend);
    const model = createModel("keras-cifar10-cnn", 7);
    const tensorsBefore = tf.memory().numTensors;
    const fused = lossAndGrads(model, (x) => model.apply(x, true, 1234));
    const plain = lossAndGrads(model, (x) => referenceLogits(model, x, 1234));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Math.abs(fused.loss - plain.loss) / plain.loss).toBeLessThan(TOLERANCE);
    model.variables.forEach((w, i) => {
      expect(
        plain.grads[i]!.reduce((m, g) => Math.max(m, Math.abs(g)), 0),
        w.name,
      ).toBeGreaterThan(0);
      expect(relativeError(fused.grads[i]!, plain.grads[i]!), `variable ${i} ${w.shape}`).toBeLessThan(TOLERANCE);
    });
    model.dispose();
    await tf.setBackend("wasm");
  });

  it("give the plain ops' logits at inference", () => {
    const model = createModel("keras-cifar10-cnn", 9);
    const x = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, "float32", 4) as tf.Tensor4D;
    const [fused, plain] = tf.tidy(() => {
      const v = model.variables;
      const conv = (h: tf.Tensor4D, i: number, pad: "same" | "valid") =>
        tf.relu(tf.add(tf.conv2d(h, v[i] as tf.Tensor4D, 1, pad), v[i + 1]!)) as tf.Tensor4D;
      let h = tf.maxPool(conv(conv(x, 0, "same"), 2, "valid"), 2, 2, "valid");
      h = tf.maxPool(conv(conv(h, 4, "same"), 6, "valid"), 2, 2, "valid");
      const d = tf.relu(tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]) as tf.Tensor2D, v[8] as tf.Tensor2D), v[9]!));
      const logits = tf.add(tf.matMul(d as tf.Tensor2D, v[10] as tf.Tensor2D), v[11]!);
      return [model.apply(x, false).dataSync() as Float32Array, logits.dataSync() as Float32Array];
    });
    expect(relativeError(fused, plain)).toBeLessThan(TOLERANCE);
    x.dispose();
    model.dispose();
  });
});
