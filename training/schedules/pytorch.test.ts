/**
 * PyTorch's OneCycleLR, CyclicLR and CosineAnnealingWarmRestarts, checked against the
 * schedulers' own algorithms re-implemented here step by step, and against hand values.
 */
import { describe, expect, it } from "vitest";
import { createScheduler } from "./create";
import { parseScheduleSpec, type ScheduleInput } from "./spec";
import { expectClose } from "./expectClose";

const schedulerFor = (input: ScheduleInput, epochs: number, stepsPerEpoch: number) =>
  createScheduler(parseScheduleSpec(input), { epochs, stepsPerEpoch });

function* steps(epochs: number, stepsPerEpoch: number) {
  for (let e = 0; e < epochs; e++) for (let k = 0; k < stepsPerEpoch; k++) yield [e, k, e * stepsPerEpoch + k] as const;
}

describe("oneCycle (PyTorch OneCycleLR, two phases, per step)", () => {
  /** PyTorch's get_lr: walk the phases, anneal between their start and end lr. */
  function reference(step: number, total: number, o: { maxLr: number; pctStart: number; div: number; finalDiv: number; cos: boolean }) {
    const initial = o.maxLr / o.div;
    const min = initial / o.finalDiv;
    const phase1End = o.pctStart * total - 1;
    const anneal = (a: number, b: number, pct: number) => (o.cos ? b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1) : (b - a) * pct + a);
    if (step <= phase1End) return anneal(initial, o.maxLr, step / phase1End);
    return anneal(o.maxLr, min, (step - phase1End) / (total - 1 - phase1End));
  }

  it("hand values: starts at maxLr/25, peaks at step pct·total − 1, ends at the minimum", () => {
    const s = schedulerFor({ kind: "oneCycle", maxLr: 0.1 }, 10, 10);
    expectClose(s.lr(0, 0), 0.004);
    expectClose(s.lr(2, 9), 0.1); // step 29 = 0.3·100 − 1
    expectClose(s.lr(6, 4), (0.1 + 4e-7) / 2); // phase 2 halfway: (64 − 29)/(99 − 29)
    expectClose(s.lr(9, 9), 4e-7); // 0.004 / 1e4
  });

  it.each([
    [{ maxLr: 0.1, pctStart: 0.3, div: 25, finalDiv: 1e4, cos: true }, 7, 13],
    [{ maxLr: 2, pctStart: 0.25, div: 10, finalDiv: 100, cos: false }, 5, 9],
    [{ maxLr: 0.5, pctStart: 0.45, div: 4, finalDiv: 1e3, cos: true }, 3, 11],
  ])("matches the reference at every step (%j, %i epochs × %i steps)", (o, epochs, spe) => {
    const s = schedulerFor(
      {
        kind: "oneCycle",
        maxLr: o.maxLr,
        pctStart: o.pctStart,
        divFactor: o.div,
        finalDivFactor: o.finalDiv,
        anneal: o.cos ? "cos" : "linear",
      },
      epochs,
      spe,
    );
    for (const [e, k, step] of steps(epochs, spe)) expectClose(s.lr(e, k), reference(step, epochs * spe, o));
  });

  it("gives the peak to a one-step warm-up (where PyTorch divides by zero)", () => {
    const s = schedulerFor({ kind: "oneCycle", maxLr: 0.1, pctStart: 0.1 }, 1, 10);
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(0, 9), 0.1 / 25 / 1e4);
  });
});

describe("cyclic (PyTorch CyclicLR, per step)", () => {
  /** The original CLR formula (bckenstler): a different closed form of the same triangle. */
  const triangle = (it: number, stepSize: number) => {
    const cycle = Math.floor(1 + it / (2 * stepSize));
    const x = Math.abs(it / stepSize - 2 * cycle + 1);
    return { cycle, height: Math.max(0, 1 - x) };
  };

  it("hand values over two cycles", () => {
    const s = schedulerFor({ kind: "cyclic", baseLr: 0.001, maxLr: 0.006, stepSizeUp: 4 }, 4, 4);
    const lrs = [...steps(4, 4)].map(([e, k]) => s.lr(e, k));
    const expected = [0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1].map((n) => 0.001 + (0.005 * n) / 4);
    lrs.forEach((lr, i) => expectClose(lr, expected[i]!));
  });

  it.each(["triangular", "triangular2"] as const)("%s matches the CLR formula at every step", (mode) => {
    const s = schedulerFor({ kind: "cyclic", baseLr: 0.01, maxLr: 0.3, stepSizeUp: 7, mode }, 9, 11);
    for (const [e, k, step] of steps(9, 11)) {
      const { cycle, height } = triangle(step, 7);
      const scale = mode === "triangular" ? 1 : 1 / 2 ** (cycle - 1);
      expectClose(s.lr(e, k), 0.01 + 0.29 * height * scale);
    }
  });

  it("supports an asymmetric cycle (stepSizeDown)", () => {
    const s = schedulerFor({ kind: "cyclic", baseLr: 1, maxLr: 3, stepSizeUp: 2, stepSizeDown: 4 }, 2, 7);
    const lrs = [...steps(2, 7)].map(([e, k]) => s.lr(e, k));
    [1, 2, 3, 2.5, 2, 1.5, 1, 2, 3, 2.5, 2, 1.5, 1, 2].forEach((v, i) => expectClose(lrs[i]!, v));
  });
});

describe("cosineRestarts (PyTorch CosineAnnealingWarmRestarts, stepped once per epoch)", () => {
  /** PyTorch's step(): T_cur += 1; when it reaches T_i it wraps and T_i grows by T_mult. */
  function recurrence(epochs: number, t0: number, tMult: number, lr: number, minLr: number): number[] {
    const out: number[] = [];
    let tCur = 0;
    let tI = t0;
    for (let e = 0; e < epochs; e++) {
      if (e > 0) {
        tCur += 1;
        if (tCur >= tI) {
          tCur = tCur % tI;
          tI = tI * tMult;
        }
      }
      out.push(minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2);
    }
    return out;
  }

  it.each([
    [10, 1],
    [3, 2],
    [1, 3],
    [2, 1],
  ])("t0=%i tMult=%i matches the recurrence over 200 epochs", (t0, tMult) => {
    const s = schedulerFor({ kind: "cosineRestarts", lr: 0.1, minLr: 0.001, t0, tMult }, 200, 3);
    recurrence(200, t0, tMult, 0.1, 0.001).forEach((expected, e) => {
      expectClose(s.lr(e, 0), expected);
      expect(s.lr(e, 2)).toBe(s.lr(e, 0));
    });
  });

  it("hand values: restarts at t0, then at t0 + t0·tMult", () => {
    const s = schedulerFor({ kind: "cosineRestarts", lr: 0.1, t0: 4, tMult: 2 }, 20, 1);
    expectClose(s.lr(0, 0), 0.1);
    expectClose(s.lr(2, 0), 0.05);
    expectClose(s.lr(4, 0), 0.1); // first restart; cycle of 8
    expectClose(s.lr(8, 0), 0.05);
    expectClose(s.lr(12, 0), 0.1); // second restart; cycle of 16
  });
});
