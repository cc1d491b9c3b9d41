import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import { createOptimizer } from "./keras";
import { momentumField, OPTIMIZER_KINDS, optimizerSpecSchema, type OptimizerInput } from "./spec";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/**
 * Keras 2's update rules written out on plain numbers, one parameter at a time, with the
 * learning rate changing every step (the schedule's job): the tensor optimizers must agree.
 */
function kerasReference(
  spec: ReturnType<typeof optimizerSpecSchema.parse>,
  params: number[],
  gradsPerStep: number[][],
  lrs: number[],
): number[] {
  const p = [...params];
  const s1 = params.map(() => (spec.kind === "adagrad" ? spec.initialAccumulator : 0));
  const s2 = params.map(() => 0);
  gradsPerStep.forEach((grads, step) => {
    const lr = lrs[step]!;
    const t = step + 1;
    grads.forEach((raw, i) => {
      // PyTorch's coupled weight_decay: g ← g + wd·w before the rule.
      const g = raw + (spec.weightDecay ?? 0) * p[i]!;
      switch (spec.kind) {
        case "sgd": {
          const v = spec.momentum * s1[i]! - lr * g;
          s1[i] = v;
          p[i] = spec.nesterov ? p[i]! + spec.momentum * v - lr * g : p[i]! + v;
          break;
        }
        case "adagrad":
          s1[i] = s1[i]! + g * g;
          p[i] = p[i]! - (lr * g) / (Math.sqrt(s1[i]) + spec.epsilon);
          break;
        case "adadelta": {
          s1[i] = spec.rho * s1[i]! + (1 - spec.rho) * g * g;
          const u = (g * Math.sqrt(s2[i]! + spec.epsilon)) / Math.sqrt(s1[i] + spec.epsilon);
          p[i] = p[i]! - lr * u;
          s2[i] = spec.rho * s2[i]! + (1 - spec.rho) * u * u;
          break;
        }
        case "rmsprop":
          s1[i] = spec.rho * s1[i]! + (1 - spec.rho) * g * g;
          p[i] = p[i]! - (lr * g) / (Math.sqrt(s1[i]) + spec.epsilon);
          break;
        case "adam": {
          const lrT = (lr * Math.sqrt(1 - spec.beta2 ** t)) / (1 - spec.beta1 ** t);
          s1[i] = spec.beta1 * s1[i]! + (1 - spec.beta1) * g;
          s2[i] = spec.beta2 * s2[i]! + (1 - spec.beta2) * g * g;
          p[i] = p[i]! - (lrT * s1[i]) / (Math.sqrt(s2[i]) + spec.epsilon);
          break;
        }
        case "adamax": {
          const lrT = lr / (1 - spec.beta1 ** t);
          s1[i] = spec.beta1 * s1[i]! + (1 - spec.beta1) * g;
          s2[i] = Math.max(spec.beta2 * s2[i]!, Math.abs(g));
          p[i] = p[i]! - (lrT * s1[i]) / (s2[i] + spec.epsilon);
          break;
        }
      }
    });
  });
  return p;
}

const cases: OptimizerInput[] = [
  { kind: "sgd" },
  { kind: "sgd", momentum: 0.8 },
  { kind: "sgd", momentum: 0.9, nesterov: true },
  { kind: "adagrad" },
  { kind: "adagrad", initialAccumulator: 0.1, epsilon: 1e-7 },
  { kind: "adadelta" },
  { kind: "rmsprop" },
  { kind: "adam" },
  { kind: "adam", beta1: 0.5, beta2: 0.9, epsilon: 1e-4 },
  { kind: "adamax" },
  { kind: "sgd", momentum: 0.9, nesterov: true, weightDecay: 0.1 },
  { kind: "sgd", weightDecay: 0.5 },
  { kind: "adagrad", weightDecay: 0.2 },
  { kind: "adadelta", weightDecay: 0.2 },
  { kind: "rmsprop", weightDecay: 0.2 },
  { kind: "adam", weightDecay: 0.2 },
  { kind: "adamax", weightDecay: 0.2 },
];

describe("Keras optimizers", () => {
  const params = [0.5, -1.25, 2, 0.01];
  const grads = [
    [0.1, -0.2, 0.3, 0],
    [-0.4, 0.5, 0.05, 1],
    [0.2, 0.2, -0.7, -0.3],
    [1.5, -0.01, 0.4, 0.2],
  ];
  const lrs = [0.1, 0.05, 0.2, 0.01];

  for (const input of cases) {
    it(`${JSON.stringify(input)} follows Keras's update with the lr set before every step`, () => {
      const spec = optimizerSpecSchema.parse(input);
      const opt = createOptimizer(spec);
      const variable = tf.variable(tf.tensor1d(params));
      for (let s = 0; s < grads.length; s++) {
        const g = tf.tensor1d(grads[s]!);
        opt.step([variable], [g], lrs[s]!);
        g.dispose();
      }
      const got = Array.from(variable.dataSync());
      const want = kerasReference(spec, params, grads, lrs);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      expect(opt.iterations).toBe(4);
      opt.dispose();
      variable.dispose();
    });
  }

  it("a state round-trip continues exactly where it left off", () => {
    const spec = optimizerSpecSchema.parse({ kind: "adam" });
    const run = (split: boolean) => {
      let opt = createOptimizer(spec);
      const v = tf.variable(tf.tensor1d(params));
      grads.forEach((gs, s) => {
        if (split && s === 2) {
          const state = opt.getState();
          opt.dispose();
          opt = createOptimizer(spec);
          opt.setState(state, [v]);
          tf.dispose(state.slots.flat());
        }
        const g = tf.tensor1d(gs);
        opt.step([v], [g], lrs[s]!);
        g.dispose();
      });
      const out = Array.from(v.dataSync());
      opt.dispose();
      v.dispose();
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  it("does not leak tensors across steps", () => {
    const opt = createOptimizer(optimizerSpecSchema.parse({ kind: "adadelta" }));
    const v = tf.variable(tf.tensor1d(params));
    const g = tf.tensor1d(grads[0]!);
    opt.step([v], [g], 1);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) opt.step([v], [g], 1);
    expect(tf.memory().numTensors).toBe(after1);
    opt.dispose();
    tf.dispose([v, g]);
  });
});

describe("optimizer spec validation", () => {
  it("fills Keras defaults", () => {
    expect(optimizerSpecSchema.parse({ kind: "adam" })).toEqual({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(optimizerSpecSchema.parse({ kind: "adadelta" })).toEqual({ kind: "adadelta", rho: 0.95, epsilon: 1e-8 });
    expect(optimizerSpecSchema.parse({ kind: "rmsprop" })).toEqual({ kind: "rmsprop", rho: 0.9, epsilon: 1e-8 });
    expect(optimizerSpecSchema.parse({ kind: "adagrad" })).toMatchObject({ epsilon: 1e-8 });
  });
  it("rejects out-of-range and unknown fields", () => {
    expect(optimizerSpecSchema.safeParse({ kind: "sgd", momentum: 1 }).success).toBe(false);
    expect(optimizerSpecSchema.safeParse({ kind: "adam", epsilon: 0 }).success).toBe(false);
    expect(optimizerSpecSchema.safeParse({ kind: "adam", lr: 0.1 }).success).toBe(false);
    expect(optimizerSpecSchema.safeParse({ kind: "lamb" }).success).toBe(false);
    expect(optimizerSpecSchema.safeParse({ kind: "adam", weightDecay: -0.1 }).success).toBe(false);
    expect(optimizerSpecSchema.safeParse({ kind: "scheduleFreeSgd", momentum: 0 }).success).toBe(false);
    expect(optimizerSpecSchema.safeParse({ kind: "scheduleFreeAdamw", warmupSteps: 1.5 }).success).toBe(false);
  });
  it("leaves weightDecay out of the original six unless given, so stored configs parse as before", () => {
    expect(optimizerSpecSchema.parse({ kind: "sgd" })).toEqual({ kind: "sgd", momentum: 0, nesterov: false });
    expect("weightDecay" in optimizerSpecSchema.parse({ kind: "adam" })).toBe(false);
  });
  it("fills the libraries' defaults for the new kinds", () => {
    expect(optimizerSpecSchema.parse({ kind: "adamw" })).toEqual({
      kind: "adamw",
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
    expect(optimizerSpecSchema.parse({ kind: "nadam" })).toMatchObject({ momentumDecay: 0.004, weightDecay: 0 });
    expect(optimizerSpecSchema.parse({ kind: "lion" })).toEqual({ kind: "lion", beta1: 0.9, beta2: 0.99, weightDecay: 0 });
    expect(optimizerSpecSchema.parse({ kind: "scheduleFreeSgd" })).toEqual({
      kind: "scheduleFreeSgd",
      momentum: 0.9,
      weightDecay: 0,
      warmupSteps: 0,
    });
  });
  it("names the field a cycled momentum replaces", () => {
    expect(OPTIMIZER_KINDS.map((kind) => [kind, momentumField(kind)])).toEqual([
      ["sgd", "momentum"],
      ["adagrad", null],
      ["adadelta", null],
      ["rmsprop", null],
      ["adam", "beta1"],
      ["adamax", "beta1"],
      ["adamw", "beta1"],
      ["nadam", "beta1"],
      ["radam", "beta1"],
      ["lion", "beta1"],
      ["scheduleFreeSgd", null],
      ["scheduleFreeAdamw", null],
    ]);
  });
});
