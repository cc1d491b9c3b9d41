/**
 * Everything a conv net's training step needs runs on wasm and agrees with cpu: the
 * forward ops, their gradients (Conv2DBackpropFilter being the kernel wasm lacked) and
 * every tfjs optimizer's update.
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "./node";
import { relativeError, seededValues } from "./testUtil";

const TOLERANCE = 1e-4;
const BATCH = 4;
const CLASSES = 10;

const PARAM_SHAPES = {
  conv1: [3, 3, 3, 8],
  bias1: [8],
  conv2: [3, 3, 8, 8],
  bias2: [8],
  conv3: [3, 3, 8, 16],
  dense: [64, CLASSES],
  denseBias: [CLASSES],
} as const;
type ParamName = keyof typeof PARAM_SHAPES;
const PARAM_NAMES = Object.keys(PARAM_SHAPES) as ParamName[];
type Params = Record<ParamName, tf.Variable>;
type Values = Record<ParamName, Float32Array>;

const INPUT = seededValues(BATCH * 12 * 12 * 3, 11);
const LABELS = [3, 7, 0, 9];

function initialValues(): Values {
  return Object.fromEntries(
    PARAM_NAMES.map((name, i) => {
      const shape = PARAM_SHAPES[name];
      const fanIn = shape.length === 1 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1);
      return [
        name,
        seededValues(
          shape.reduce((a, b) => a * b, 1),
          100 + i,
          Math.sqrt(3 / fanIn),
        ),
      ];
    }),
  ) as Values;
}

function makeParams(values: Values): Params {
  // tidy frees the initial-value tensors; variables outlive it.
  return tf.tidy(
    () => Object.fromEntries(PARAM_NAMES.map((name) => [name, tf.variable(tf.tensor(values[name], [...PARAM_SHAPES[name]]))])) as Params,
  );
}

type LossKind = "softmaxCrossEntropy" | "logSoftmax";

/** conv(same)+bias → relu → maxPool → conv(valid)+bias → relu → conv(same, stride 2) → dropout → dense. */
function loss(p: Params, kind: LossKind): tf.Scalar {
  const x = tf.tensor4d(INPUT, [BATCH, 12, 12, 3]);
  let h: tf.Tensor4D = tf.relu(tf.add(tf.conv2d(x, p.conv1 as tf.Tensor4D, 1, "same"), p.bias1));
  h = tf.maxPool(h, 2, 2, "valid");
  h = tf.relu(tf.add(tf.conv2d(h, p.conv2 as tf.Tensor4D, 1, "valid"), p.bias2));
  h = tf.conv2d(h, p.conv3 as tf.Tensor4D, 2, "same");
  const dropped = tf.dropout(h, 0.25, undefined, 1234);
  const logits = tf.add(tf.matMul(tf.reshape(dropped, [BATCH, -1]) as tf.Tensor2D, p.dense as tf.Tensor2D), p.denseBias);
  const labels = tf.oneHot(tf.tensor1d(LABELS, "int32"), CLASSES);
  if (kind === "softmaxCrossEntropy") return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1)));
}

function read(params: Params): Values {
  return Object.fromEntries(PARAM_NAMES.map((name) => [name, params[name].dataSync() as Float32Array])) as Values;
}

async function gradientsOn(backend: string, kind: LossKind): Promise<{ loss: number; grads: Values }> {
  await tf.setBackend(backend);
  const params = makeParams(initialValues());
  const { value, grads } = tf.variableGrads(
    () => loss(params, kind),
    PARAM_NAMES.map((n) => params[n]),
  );
  const byParam = Object.fromEntries(PARAM_NAMES.map((name) => [name, grads[params[name].name]!.dataSync() as Float32Array])) as Values;
  const lossValue = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads), ...Object.values(params)]);
  return { loss: lossValue, grads: byParam };
}

const OPTIMIZERS: Record<string, () => tf.Optimizer> = {
  sgd: () => tf.train.sgd(0.05),
  momentum: () => tf.train.momentum(0.05, 0.9),
  nesterov: () => tf.train.momentum(0.05, 0.9, true),
  adagrad: () => tf.train.adagrad(0.05),
  adadelta: () => tf.train.adadelta(1),
  // Not centered: tfjs 4.22's centered RMSProp takes sqrt(ms − mg² − ε) (ε subtracted), which is
  // NaN wherever a gradient is zero, on every backend.
  rmsprop: () => tf.train.rmsprop(0.01, 0.9, 0.9),
  adam: () => tf.train.adam(0.01),
  adamax: () => tf.train.adamax(0.01),
};

/** Three full training steps (forward, backward, update) from the shared initial weights. */
async function trainOn(backend: string, optimizer: string): Promise<Values> {
  await tf.setBackend(backend);
  const params = makeParams(initialValues());
  const opt = OPTIMIZERS[optimizer]!();
  for (let step = 0; step < 3; step++) {
    opt.minimize(
      () => loss(params, "softmaxCrossEntropy"),
      false,
      PARAM_NAMES.map((n) => params[n]),
    );
  }
  const values = read(params);
  opt.dispose();
  tf.dispose(Object.values(params));
  return values;
}

beforeAll(async () => {
  await initNodeBackend("wasm");
});

describe("training a conv net on wasm", () => {
  it.each(["softmaxCrossEntropy", "logSoftmax"] as const)("gives cpu's loss and gradients (%s loss)", async (kind) => {
    const cpu = await gradientsOn("cpu", kind);
    const tensorsBefore = tf.memory().numTensors;
    const wasm = await gradientsOn("wasm", kind);
    expect(tf.getBackend()).toBe("wasm");
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Math.abs(wasm.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(TOLERANCE);
    for (const name of PARAM_NAMES) {
      // Every parameter gets a real gradient (no dead branch making the comparison trivial).
      expect(Math.max(...cpu.grads[name].map(Math.abs)), name).toBeGreaterThan(0);
      expect(relativeError(wasm.grads[name], cpu.grads[name]), name).toBeLessThan(TOLERANCE);
    }
  });

  it.each(Object.keys(OPTIMIZERS))("applies %s updates as cpu does", async (optimizer) => {
    const initial = initialValues();
    const cpu = await trainOn("cpu", optimizer);
    const wasm = await trainOn("wasm", optimizer);
    for (const name of PARAM_NAMES) {
      // The weights moved, and moved the same way on both backends.
      expect(relativeError(cpu[name], initial[name]), name).toBeGreaterThan(1e-3);
      expect(relativeError(wasm[name], cpu[name]), name).toBeLessThan(TOLERANCE);
    }
  });
});
