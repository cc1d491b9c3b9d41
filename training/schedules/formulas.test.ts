/**
 * Stateless kinds through createScheduler, against the contract's formulas written out here
 * (and a few hand-computed values), at several points including boundaries.
 */
import { describe, expect, it } from "vitest";
import { createScheduler } from "./create";
import { parseScheduleSpec, type ScheduleInput } from "./spec";
import { expectClose } from "./expectClose";

const ctx = { epochs: 40, stepsPerEpoch: 25 };
const schedulerFor = (input: ScheduleInput, c = ctx) => createScheduler(parseScheduleSpec(input), c);

describe("per-epoch kinds", () => {
  it("constant", () => {
    const s = schedulerFor({ kind: "constant", lr: 0.05 });
    for (const [e, k] of [
      [0, 0],
      [17, 3],
      [39, 24],
    ] as const)
      expect(s.lr(e, k)).toBe(0.05);
  });

  it("step: lr · drop^floor((1+epoch)/epochsDrop), the article's formula as written", () => {
    const s = schedulerFor({ kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 });
    // Hand values: the first drop happens at epoch 9 (1 + 9 = 10), not 10.
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(8, 24), 0.1);
    expectClose(s.lr(9, 0), 0.05);
    expectClose(s.lr(18, 0), 0.05);
    expectClose(s.lr(19, 0), 0.025);
    expectClose(s.lr(29, 24), 0.0125);
    expectClose(s.lr(39, 24), 0.00625);
    for (let e = 0; e < 40; e++) expectClose(s.lr(e, 0), 0.1 * 0.5 ** Math.floor((1 + e) / 10));
  });

  it("exponential: lr · e^(−k·epoch)", () => {
    const s = schedulerFor({ kind: "exponential", lr: 0.1, k: 0.1 });
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(10, 5), 0.1 / Math.E);
    for (const e of [1, 7, 39]) expectClose(s.lr(e, 0), 0.1 * Math.exp(-0.1 * e));
  });

  it("power: lr · (1 − epoch/epochs)^power", () => {
    const s = schedulerFor({ kind: "power", lr: 0.1, power: 2 });
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(20, 0), 0.025);
    expectClose(s.lr(39, 24), 0.1 * (1 / 40) ** 2);
    const linear = schedulerFor({ kind: "power", lr: 0.1, power: 1 });
    expectClose(linear.lr(10, 0), 0.075);
  });

  it("piecewise: values[i], i = number of boundaries b < epoch (Keras PiecewiseConstantDecay)", () => {
    const s = schedulerFor({ kind: "piecewise", boundaries: [20, 30, 36], values: [0.1, 0.01, 0.001, 0.0001] });
    const expected = (e: number) => (e <= 20 ? 0.1 : e <= 30 ? 0.01 : e <= 36 ? 0.001 : 0.0001);
    for (const e of [0, 19, 20, 21, 30, 31, 36, 37, 39]) expect(s.lr(e, 0)).toBe(expected(e));
    const fractional = schedulerFor({ kind: "piecewise", boundaries: [12.5], values: [1, 2] });
    expect([12, 13].map((e) => fractional.lr(e, 0))).toEqual([1, 2]);
    expect(schedulerFor({ kind: "piecewise", boundaries: [], values: [0.3] }).lr(39, 0)).toBe(0.3);
  });

  it("multiStep: lr · gamma^(number of milestones m ≤ epoch) (PyTorch MultiStepLR)", () => {
    const s = schedulerFor({ kind: "multiStep", lr: 0.1, milestones: [10, 25], gamma: 0.2 });
    expectClose(s.lr(9, 24), 0.1);
    expectClose(s.lr(10, 0), 0.02);
    expectClose(s.lr(24, 0), 0.02);
    expectClose(s.lr(25, 0), 0.004);
    expectClose(s.lr(39, 0), 0.004);
  });

  it("cosine: minLr + (lr − minLr)(1 + cos(π·epoch/epochs))/2", () => {
    const s = schedulerFor({ kind: "cosine", lr: 0.1, minLr: 0.001 });
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(20, 7), 0.0505);
    for (const e of [1, 13, 39]) expectClose(s.lr(e, 0), 0.001 + (0.099 * (1 + Math.cos((Math.PI * e) / 40))) / 2);
  });
});

describe("per-step kinds", () => {
  it("timeBased: lr / (1 + decay·step) with the global step (Keras 2 SGD decay)", () => {
    const s = schedulerFor({ kind: "timeBased", lr: 0.1, decay: 0.01 });
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(0, 24), 0.1 / 1.24);
    expectClose(s.lr(4, 0), 0.05); // global step 100
    expectClose(s.lr(39, 24), 0.1 / (1 + 0.01 * 999));
  });

  it("linear: from + (to − from)·t/T over the schedule's steps", () => {
    const s = schedulerFor({ kind: "linear", from: 0, to: 0.1 }, { epochs: 4, stepsPerEpoch: 10 });
    expect(s.lr(0, 0)).toBe(0);
    expectClose(s.lr(0, 1), 0.1 / 40);
    expectClose(s.lr(2, 0), 0.05);
    expectClose(s.lr(3, 9), 0.1 * (39 / 40));
    const down = schedulerFor({ kind: "linear", from: 0.1, to: 0.02 }, { epochs: 2, stepsPerEpoch: 2 });
    expect([0, 1, 2, 3].map((k) => down.lr(Math.floor(k / 2), k % 2))).toEqual(
      [0.1, 0.08, 0.06, 0.04].map((v, i) => 0.1 + ((0.02 - 0.1) * i) / 4),
    );
  });

  it("expression: the formula over epoch, step, epochs, stepsPerEpoch", () => {
    const s = schedulerFor({ kind: "expression", expr: "0.1 * pow(0.5, floor((1 + epoch) / 10))" });
    for (const e of [0, 8, 9, 19, 39]) expectClose(s.lr(e, 3), 0.1 * 0.5 ** Math.floor((1 + e) / 10));
    const perStep = schedulerFor({ kind: "expression", expr: "0.1 * (1 - step / (epochs * stepsPerEpoch))" });
    expectClose(perStep.lr(2, 5), 0.1 * (1 - 55 / 1000));
  });

  it("stateless kinds are pure: order of calls does not matter", () => {
    const s = schedulerFor({ kind: "timeBased", lr: 0.1, decay: 0.01 });
    const forward = [0, 1, 2, 3].map((e) => s.lr(e, 7));
    const backward = [3, 2, 1, 0].map((e) => s.lr(e, 7)).reverse();
    expect(backward).toEqual(forward);
    s.endEpoch(0, { val_loss: 1 });
    expect(s.lr(1, 7)).toBe(forward[1]);
    expect(s.getState()).toEqual({ plateaus: [] });
  });
});
