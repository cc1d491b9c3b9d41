import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import fixtures from "./fixtures/optimizers.json";
import { createOptimizer } from "./keras";
import { optimizerSpecSchema, type OptimizerInput } from "./spec";

/**
 * AdamW, NAdam, RAdam (torch.optim 1.13), Lion and Schedule-Free (their reference algorithms in
 * torch) against trajectories made by scripts/fixtures/optimizers.py: every step's parameters,
 * with the lr changing every step, β1 replaced per step where the case cycles momentum, and for
 * schedule-free a trip to the evaluation point and back between steps plus the final x.
 */
interface Case {
  spec: OptimizerInput;
  shapes: number[][];
  params: number[][];
  grads: number[][][];
  lrs: number[];
  momentum?: number[];
  /** Schedule-free: a trip to x and back after every this many steps. */
  evalEvery?: number;
  after: number[][][];
  eval?: number[][];
}
const cases = fixtures.cases as Case[];

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** float32 agreement: the two sides round differently at a few ulps per step. */
function expectClose(got: ArrayLike<number>, want: number[], what: string) {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i]! - w), `${what}[${i}]: ${got[i]} vs ${w}`).toBeLessThanOrEqual(2e-6 + 2e-6 * Math.abs(w)));
}

function replay(c: Case, options: { splitAt?: number; evalEvery?: number } = {}) {
  const spec = optimizerSpecSchema.parse(c.spec);
  let optimizer = createOptimizer(spec);
  const variables = c.params.map((p, i) => tf.variable(tf.tensor(p, c.shapes[i])));
  const trajectory: Float32Array[][] = [];
  c.grads.forEach((grads, step) => {
    if (step === options.splitAt) {
      const state = optimizer.getState();
      optimizer.dispose();
      optimizer = createOptimizer(spec);
      optimizer.setState(state, variables);
      tf.dispose(state.slots.flat());
    }
    const g = grads.map((values, i) => tf.tensor(values, c.shapes[i]));
    optimizer.step(variables, g, c.lrs[step]!, c.momentum?.[step]);
    tf.dispose(g);
    if (options.evalEvery && (step + 1) % options.evalEvery === 0) {
      optimizer.useEvalParams?.(variables);
      optimizer.useTrainParams?.(variables);
    }
    trajectory.push(variables.map((v) => v.dataSync() as Float32Array));
  });
  optimizer.useEvalParams?.(variables);
  const evaluated = variables.map((v) => v.dataSync() as Float32Array);
  optimizer.dispose();
  tf.dispose(variables);
  return { trajectory, evaluated };
}

describe("optimizers against PyTorch 1.13 and the reference implementations", () => {
  it("the fixtures come from PyTorch 1.13", () => {
    expect(fixtures.torch).toMatch(/^1\.13\./);
    expect(new Set(cases.map((c) => c.spec.kind))).toEqual(
      new Set(["adamw", "nadam", "radam", "lion", "scheduleFreeSgd", "scheduleFreeAdamw"]),
    );
  });

  for (const c of cases) {
    const name = `${JSON.stringify(c.spec)}${c.momentum ? " with β1 cycled" : ""}`;
    it(`${name} follows the reference step by step`, () => {
      const { trajectory, evaluated } = replay(c, { evalEvery: c.evalEvery });
      c.after.forEach((want, step) => want.forEach((w, i) => expectClose(trajectory[step]![i]!, w, `step ${step + 1} tensor ${i}`)));
      if (c.eval) c.eval.forEach((w, i) => expectClose(evaluated[i]!, w, `evaluation point, tensor ${i}`));
      else expect(evaluated).toEqual(trajectory.at(-1));
    });
    it(`${name} resumes bit-exactly from its state`, () => {
      const whole = replay(c, { evalEvery: c.evalEvery });
      const resumed = replay(c, { splitAt: 5, evalEvery: c.evalEvery });
      expect(resumed.trajectory).toEqual(whole.trajectory);
      expect(resumed.evaluated).toEqual(whole.evaluated);
    });
  }
});

describe("schedule-free evaluation point", () => {
  it("swaps to x and back to exactly y without leaking tensors, and refuses to step while at x", () => {
    const optimizer = createOptimizer(optimizerSpecSchema.parse({ kind: "scheduleFreeAdamw", warmupSteps: 2 }));
    const v = tf.variable(tf.tensor1d([0.5, -1, 2]));
    const g = tf.tensor1d([0.3, -0.1, 0.2]);
    // The first step has ckp1 = 1, so y = z = x; from the second on they part.
    optimizer.step([v], [g], 0.1);
    const back = tf.neg(g);
    optimizer.step([v], [back], 0.1);
    const y = Array.from(v.dataSync());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      optimizer.useEvalParams!([v]);
      expect(Array.from(v.dataSync())).not.toEqual(y);
      expect(() => optimizer.step([v], [g], 0.1)).toThrow(/evaluation values/);
      optimizer.useTrainParams!([v]);
      expect(Array.from(v.dataSync())).toEqual(y);
      optimizer.step([v], [g], 0.1);
      y.splice(0, 3, ...v.dataSync());
    }
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([v, g, back]);
  });
});
