import * as tf from "@tensorflow/tfjs-core";
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
              const conv = tf.conv2d(out as tf.Tensor4D, variables[v] as tf.Tensor4D, 1, layer.padding);
              out = tf.relu(tf.add(conv, variables[v + 1]!));
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
              out = tf.reshape(out, [out.shape[0]!, -1]);
              break;
            case "dense": {
              const z = tf.add(tf.matMul(out as tf.Tensor2D, variables[v] as tf.Tensor2D), variables[v + 1]!);
              out = layer.activation === "relu" ? tf.relu(z) : z;
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
