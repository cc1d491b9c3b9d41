import * as tf from "@tensorflow/tfjs-core";
import { _FusedMatMul, Conv2DBackpropFilter, Conv2DBackpropInput, FusedConv2D } from "@tensorflow/tfjs-core";
import { deriveSeed, SeedPurpose } from "../rng";
import type { ModelName } from "./names";

/**
 * The networks as plain tfjs-core ops over named variables. tfjs-layers' Dropout reuses one mask
 * for every step when seeded, and draws from Math.random otherwise; here each step's masks come
 * from (run seed, step), so training is reproducible and resumable.
 */
export interface Model {
  readonly name: ModelName;
  /** Trainable variables in a fixed order (checkpoints rely on it). */
  readonly variables: readonly tf.Variable[];
  /** Logits [batch, 10] for NHWC images in [0,1]. `dropoutSeed` is required when training. */
  apply(x: tf.Tensor4D, training: boolean, dropoutSeed?: number): tf.Tensor2D;
  dispose(): void;
}

type Layer =
  | { type: "conv"; filters: number; padding: "same" | "valid" }
  | { type: "maxpool" }
  | { type: "dropout"; rate: number }
  | { type: "flatten" }
  | { type: "dense"; units: number; activation: "relu" | "linear" };

/** The Keras CIFAR-10 example network the article trains (1,250,858 parameters). */
const KERAS_CIFAR10_CNN: Layer[] = [
  { type: "conv", filters: 32, padding: "same" },
  { type: "conv", filters: 32, padding: "valid" },
  { type: "maxpool" },
  { type: "dropout", rate: 0.25 },
  { type: "conv", filters: 64, padding: "same" },
  { type: "conv", filters: 64, padding: "valid" },
  { type: "maxpool" },
  { type: "dropout", rate: 0.25 },
  { type: "flatten" },
  { type: "dense", units: 512, activation: "relu" },
  { type: "dropout", rate: 0.5 },
  // softmax is folded into the loss (softmax cross-entropy on logits), as is numerically safer.
  { type: "dense", units: 10, activation: "linear" },
];

/** A small network for fast tests of the training mechanics (resume, cancel, queue). */
const TINY_CNN: Layer[] = [
  { type: "conv", filters: 8, padding: "same" },
  { type: "maxpool" },
  { type: "conv", filters: 16, padding: "valid" },
  { type: "maxpool" },
  { type: "dropout", rate: 0.25 },
  { type: "flatten" },
  { type: "dense", units: 32, activation: "relu" },
  { type: "dense", units: 10, activation: "linear" },
];

const ARCHITECTURES: Record<ModelName, Layer[]> = {
  "keras-cifar10-cnn": KERAS_CIFAR10_CNN,
  "tiny-cnn": TINY_CNN,
};

const INPUT_SHAPE = [32, 32, 3] as const;

type Padding = "same" | "valid";

/**
 * relu(conv2d(x, filter, stride 1) + bias) with the bias and relu fused into the convolution
 * (one XNNPACK pass on wasm instead of three), and its gradient: with g = dy·step(y),
 * dx = conv2DBackpropInput(g), dFilter = conv2DBackpropFilter(x, g), dBias = Σ g over N, H, W,
 * the same kernels, in the same order, as the unfused ops' gradients. (tf.fused.conv2d does not
 * fuse while gradients are recorded, and its gradient always computes dx.) With `inputGrad` false,
 * x is not an input of the op and dx is never computed (the first layer: x is the batch).
 */
function convBiasRelu(padding: Padding, inputGrad: boolean) {
  const attrs = { strides: [1, 1], pad: padding, dataFormat: "NHWC", dilations: [1, 1] };
  const forward = (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) =>
    tf.engine().runKernel(FusedConv2D, { x, filter, bias }, { ...attrs, activation: "relu" }) as tf.Tensor4D;
  const gradients = (x: tf.Tensor4D, filter: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D) => {
    const g = tf.mul(dy, tf.step(y));
    const dFilter = tf.engine().runKernel(Conv2DBackpropFilter, { x, dy: g }, { ...attrs, filterShape: filter.shape }) as tf.Tensor;
    const dBias = tf.sum(g, [0, 1, 2]);
    if (!inputGrad) return [dFilter, dBias];
    const dx = tf.engine().runKernel(Conv2DBackpropInput, { dy: g, filter }, { ...attrs, inputShape: x.shape }) as tf.Tensor;
    return [dx, dFilter, dBias];
  };
  if (inputGrad) {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, filter, bias, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
      const y = forward(x, filter, bias);
      save([x, filter, y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor4D, [sx, sf, sy]: tf.Tensor[]) => gradients(sx as tf.Tensor4D, sf as tf.Tensor4D, sy as tf.Tensor4D, dy),
      };
    });
    return (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => op(x, filter, bias);
  }
  return (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) =>
    tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [f, b, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
      const y = forward(x, f, b);
      save([f, y]);
      return { value: y, gradFunc: (dy: tf.Tensor4D, [sf, sy]: tf.Tensor[]) => gradients(x, sf as tf.Tensor4D, sy as tf.Tensor4D, dy) };
    })(filter, bias);
}

/**
 * act(a·w + bias) as one fused kernel (XNNPACK's fully-connected operator applies bias and relu),
 * with the unfused ops' gradients: g = dy (·step(y) for relu), da = g·wᵀ, dw = aᵀ·g, dBias = Σ g.
 */
function denseLayer(activation: "relu" | "linear") {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, w, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    // The kernel takes rank-3 operands (a batch of one), as tf.fused.matMul passes them.
    const [m, k] = a.shape;
    const y3 = tf.engine().runKernel(
      _FusedMatMul,
      { a: tf.reshape(a, [1, m, k]), b: tf.reshape(w, [1, k, w.shape[1]]), bias },
      {
        transposeA: false,
        transposeB: false,
        activation,
      },
    ) as tf.Tensor3D;
    const y = tf.reshape(y3, [m, w.shape[1]]) as tf.Tensor2D;
    save([a, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor2D, [sa, sw, sy]: tf.Tensor[]) => {
        const g = activation === "relu" ? tf.mul(dy, tf.step(sy!)) : dy;
        return [tf.matMul(g, sw as tf.Tensor2D, false, true), tf.matMul(sa as tf.Tensor2D, g, true, false), tf.sum(g, 0)];
      },
    };
  });
}

const CONV_OPS = {
  same: { input: convBiasRelu("same", false), hidden: convBiasRelu("same", true) },
  valid: { input: convBiasRelu("valid", false), hidden: convBiasRelu("valid", true) },
};
const DENSE_OPS = { relu: denseLayer("relu"), linear: denseLayer("linear") };

/** Keras glorot_uniform: U(±√(6/(fan_in + fan_out))). */
function glorotUniform(shape: number[], fanIn: number, fanOut: number, seed: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, "float32", seed);
}

export function createModel(name: ModelName, seed: number): Model {
  const layers = ARCHITECTURES[name];
  const variables: tf.Variable[] = [];
  let [h, w, c] = INPUT_SHAPE as unknown as [number, number, number];
  let flat = 0;
  tf.tidy(() => {
    layers.forEach((layer, index) => {
      const initSeed = deriveSeed(SeedPurpose.init, seed, index);
      if (layer.type === "conv") {
        const kernel = glorotUniform([3, 3, c, layer.filters], 9 * c, 9 * layer.filters, initSeed);
        variables.push(tf.variable(kernel));
        variables.push(tf.variable(tf.zeros([layer.filters])));
        if (layer.padding === "valid") [h, w] = [h - 2, w - 2];
        c = layer.filters;
      } else if (layer.type === "maxpool") {
        [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
      } else if (layer.type === "flatten") {
        flat = h * w * c;
      } else if (layer.type === "dense") {
        const kernel = glorotUniform([flat, layer.units], flat, layer.units, initSeed);
        variables.push(tf.variable(kernel));
        variables.push(tf.variable(tf.zeros([layer.units])));
        flat = layer.units;
      }
    });
  });

  return {
    name,
    variables,
    apply(x, training, dropoutSeed) {
      if (training && dropoutSeed === undefined) throw new Error("apply: dropoutSeed is required when training");
      return tf.tidy(() => {
        let out: tf.Tensor = x;
        let v = 0;
        layers.forEach((layer, index) => {
          switch (layer.type) {
            case "conv": {
              // The first layer's input is the batch: no gradient flows to it.
              const op = CONV_OPS[layer.padding][out === x ? "input" : "hidden"];
              out = op(out as tf.Tensor4D, variables[v] as tf.Tensor4D, variables[v + 1] as tf.Tensor1D);
              v += 2;
              break;
            }
            case "maxpool":
              out = tf.maxPool(out as tf.Tensor4D, 2, 2, "valid");
              break;
            case "dropout":
              if (training) out = tf.dropout(out, layer.rate, undefined, deriveSeed(dropoutSeed!, index));
              break;
            case "flatten":
              out = tf.reshape(out, [out.shape[0], -1]);
              break;
            case "dense": {
              out = DENSE_OPS[layer.activation](out, variables[v] as tf.Tensor2D, variables[v + 1] as tf.Tensor1D);
              v += 2;
              break;
            }
          }
        });
        return out as tf.Tensor2D;
      });
    },
    dispose() {
      for (const variable of variables) variable.dispose();
    },
  };
}

export function countParams(model: Model): number {
  return model.variables.reduce((sum, v) => sum + v.size, 0);
}
