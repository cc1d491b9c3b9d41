/**
 * A momentum passed to step() replaces SGD's momentum or β1 for that step (PyTorch's cycle_momentum),
 * checked against the Keras 2 rules written out on plain numbers with a different momentum each step.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import { createOptimizer } from "./keras";
import { optimizerSpecSchema, type OptimizerInput } from "./spec";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const params = [-0.3, 1.5, 0.02, 4];
const grads = [
  [0.3, 0.1, -0.6, 0.05],
  [-0.2, 0.8, 0.1, -1],
  [0.5, -0.4, 0.2, 0.7],
  [-1.2, 0.03, -0.3, 0.4],
];
const lrs = [0.05, 0.2, 0.1, 0.02];
const momenta = [0.95, 0.9, 0.85, 0.88];

/** One parameter at a time; `m` is the step's momentum (SGD) or β1 (Adam, Adamax). */
function reference(input: OptimizerInput): number[] {
  const spec = optimizerSpecSchema.parse(input);
  const p = [...params];
  const s1 = params.map(() => 0);
  const s2 = params.map(() => 0);
  grads.forEach((gs, step) => {
    const [lr, m, t] = [lrs[step]!, momenta[step]!, step + 1];
    gs.forEach((g, i) => {
      if (spec.kind === "sgd") {
        const v = m * s1[i]! - lr * g;
        s1[i] = v;
        p[i] = spec.nesterov ? p[i]! + m * v - lr * g : p[i]! + v;
      } else if (spec.kind === "adam") {
        const lrT = (lr * Math.sqrt(1 - spec.beta2 ** t)) / (1 - m ** t);
        s1[i] = m * s1[i]! + (1 - m) * g;
        s2[i] = spec.beta2 * s2[i]! + (1 - spec.beta2) * g * g;
        p[i] = p[i]! - (lrT * s1[i]!) / (Math.sqrt(s2[i]!) + spec.epsilon);
      } else if (spec.kind === "adamax") {
        const lrT = lr / (1 - m ** t);
        s1[i] = m * s1[i]! + (1 - m) * g;
        s2[i] = Math.max(spec.beta2 * s2[i]!, Math.abs(g));
        p[i] = p[i]! - (lrT * s1[i]!) / (s2[i]! + spec.epsilon);
      } else throw new Error(`no momentum in ${spec.kind}`);
    });
  });
  return p;
}

function run(input: OptimizerInput, withMomentum: boolean): number[] {
  const opt = createOptimizer(optimizerSpecSchema.parse(input), { cycledMomentum: withMomentum });
  const variable = tf.variable(tf.tensor1d(params));
  grads.forEach((gs, s) => {
    const g = tf.tensor1d(gs);
    opt.step([variable], [g], lrs[s]!, withMomentum ? momenta[s] : undefined);
    g.dispose();
  });
  const out = Array.from(variable.dataSync());
  opt.dispose();
  variable.dispose();
  return out;
}

describe("cycled momentum in the Keras rules", () => {
  it.each<OptimizerInput>([
    { kind: "sgd" },
    { kind: "sgd", momentum: 0.5 },
    { kind: "sgd", momentum: 0.9, nesterov: true },
    { kind: "adam" },
    { kind: "adam", beta1: 0.5, beta2: 0.9 },
    { kind: "adamax" },
  ])("%j takes the step's momentum in place of its own", (input) => {
    const got = run(input, true);
    reference(input).forEach((want, i) => expect(got[i]).toBeCloseTo(want, 5));
    // The momentum must matter: the spec's own value gives a different trajectory.
    expect(got).not.toEqual(run(input, false));
  });

  it("keeps SGD's velocity through a checkpoint when momentum 0 is cycled", () => {
    const opt = createOptimizer(optimizerSpecSchema.parse({ kind: "sgd" }), { cycledMomentum: true });
    const v = tf.variable(tf.tensor1d(params));
    const g = tf.tensor1d(grads[0]!);
    opt.step([v], [g], 0.1, 0.9);
    const state = opt.getState();
    expect(state.slots).toHaveLength(1);
    tf.dispose([...state.slots.flat(), v, g]);
    opt.dispose();
  });
});
