import { describe, expect, it } from "vitest";
import { describeSchedule, isPerStep } from "./describe";
import { parseScheduleSpec, type ScheduleInput } from "./spec";

const d = (input: ScheduleInput) => describeSchedule(parseScheduleSpec(input));
const perStep = (input: ScheduleInput) => isPerStep(parseScheduleSpec(input));

describe("describeSchedule", () => {
  it.each<[ScheduleInput, string]>([
    [{ kind: "constant", lr: 0.1 }, "constant 0.1"],
    [{ kind: "timeBased", lr: 0.1, decay: 0.002 }, "time-based 0.1 decay 0.002"],
    [{ kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 }, "step 0.1 ×0.5 every 10 ep"],
    [{ kind: "exponential", lr: 0.1, k: 0.1 }, "exponential 0.1 k=0.1"],
    [{ kind: "power", lr: 0.1, power: 1 }, "power 0.1 p=1"],
    [
      { kind: "piecewise", boundaries: [25, 37.5, 45], values: [0.1, 0.01, 0.001, 0.0001] },
      "piecewise 0.1→0.01→0.001→0.0001 at 25,37.5,45",
    ],
    [{ kind: "multiStep", lr: 0.1, milestones: [30, 60] }, "multistep 0.1 ×0.1 at 30,60"],
    [{ kind: "cosine", lr: 0.1 }, "cosine 0.1→0"],
    [{ kind: "cosineRestarts", lr: 0.1, t0: 10, tMult: 2 }, "cosine restarts 0.1→0 T0=10 ×2"],
    [{ kind: "oneCycle", maxLr: 0.1 }, "one-cycle 0.1"],
    [{ kind: "oneCycle", maxLr: 0.1, pctStart: 0.25, anneal: "linear" }, "one-cycle 0.1 25% up linear"],
    [{ kind: "cyclic", baseLr: 0.001, maxLr: 0.1, mode: "triangular2" }, "cyclic 0.001↔0.1 2000 steps triangular2"],
    [{ kind: "linear", from: 0, to: 0.1 }, "linear 0→0.1"],
    [{ kind: "reduceOnPlateau", lr: 0.1 }, "plateau 0.1 ×0.1 after 10 ep (val_loss)"],
    [{ kind: "expression", expr: "0.1 * pow(0.5, floor((1 + epoch) / 10))" }, "expr 0.1 * pow(0.5, floor((1 + epoch) / 10))"],
    [{ kind: "expression", expr: `0.1 + ${"0 * epoch + ".repeat(5)}0` }, "expr 0.1 + 0 * epoch + 0 * epoch + 0 * epoch…"],
    [
      {
        kind: "sequence",
        parts: [{ epochs: 5, schedule: { kind: "linear", from: 0, to: 0.1 } }, { schedule: { kind: "cosine", lr: 0.1 } }],
      },
      "seq(linear 0→0.1 5ep, cosine 0.1→0)",
    ],
    [{ kind: "expression", expr: " 0.1 *\n  exp(-epoch)  " }, "expr 0.1 * exp(-epoch)"],
    [{ kind: "constant", lr: 0.123456 }, "constant 0.1235"],
    [{ kind: "oneCycle", maxLr: 0.1, threePhase: true, cycleMomentum: true }, "one-cycle 0.1 3-phase +momentum"],
    [{ kind: "oneCycle", maxLr: 0.1, pctStart: 0.25, convention: "fastai" }, "one-cycle 0.1 25% up fastai"],
    [{ kind: "cyclic", baseLr: 0.001, maxLr: 0.1, mode: "exp_range", gamma: 0.99 }, "cyclic 0.001↔0.1 2000 steps exp_range γ=0.99"],
    [{ kind: "cosine", lr: 0.1, tMax: 10, unit: "step" }, "cosine 0.1→0 T=10 per step"],
    [{ kind: "power", lr: 0.1, power: 2, tMax: 5, endLr: 0.01 }, "power 0.1→0.01 p=2 T=5"],
    [
      { kind: "reduceOnPlateau", lr: 0.1, thresholdMode: "rel", convention: "pytorch" },
      "plateau 0.1 ×0.1 after 10 ep (val_loss, rel, pytorch)",
    ],
  ])("%j → %s", (input, text) => {
    expect(d(input)).toBe(text);
  });
});

describe("isPerStep", () => {
  it("is true exactly for kinds whose lr moves within an epoch", () => {
    expect(perStep({ kind: "timeBased", lr: 0.1, decay: 0.01 })).toBe(true);
    expect(perStep({ kind: "timeBased", lr: 0.1, decay: 0 })).toBe(false);
    expect(perStep({ kind: "oneCycle", maxLr: 0.1 })).toBe(true);
    expect(perStep({ kind: "cyclic", baseLr: 0.01, maxLr: 0.1 })).toBe(true);
    expect(perStep({ kind: "linear", from: 0, to: 0.1 })).toBe(true);
    expect(perStep({ kind: "cosineRestarts", lr: 0.1, t0: 3, unit: "step" })).toBe(true);
    expect(perStep({ kind: "cosineRestarts", lr: 0.1, t0: 3 })).toBe(false);
    expect(perStep({ kind: "exponential", lr: 0.1, k: 0.1, unit: "epoch" })).toBe(false);
    expect(perStep({ kind: "expression", expr: "0.1 / (1 + step)" })).toBe(true);
    expect(perStep({ kind: "expression", expr: "0.1 / (1 + epoch * stepsPerEpoch)" })).toBe(false);
    for (const input of [
      { kind: "constant", lr: 0.1 },
      { kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 },
      { kind: "cosine", lr: 0.1 },
      { kind: "cosineRestarts", lr: 0.1, t0: 5 },
      { kind: "reduceOnPlateau", lr: 0.1 },
    ] satisfies ScheduleInput[]) {
      expect(perStep(input)).toBe(false);
    }
  });

  it("looks inside sequences", () => {
    const seq = (inner: ScheduleInput): ScheduleInput => ({
      kind: "sequence",
      parts: [{ epochs: 2, schedule: { kind: "constant", lr: 0.1 } }, { schedule: inner }],
    });
    expect(perStep(seq({ kind: "cosine", lr: 0.1 }))).toBe(false);
    expect(perStep(seq(seq({ kind: "cyclic", baseLr: 0.01, maxLr: 0.1 })))).toBe(true);
  });
});
