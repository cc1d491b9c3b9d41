import { describe, expect, it } from "vitest";
import { createScheduler } from "./create";
import { parseScheduleSpec, type ScheduleInput } from "./spec";
import { lrTable, scheduleTable } from "./table";
import { expectClose } from "./expectClose";

const schedulerFor = (input: ScheduleInput, epochs: number, stepsPerEpoch: number) =>
  createScheduler(parseScheduleSpec(input), { epochs, stepsPerEpoch });

describe("sequence: each part sees time relative to its own span", () => {
  it("relative epochs, and a last part without epochs spanning the rest of the run", () => {
    const s = schedulerFor(
      {
        kind: "sequence",
        parts: [
          { epochs: 3, schedule: { kind: "constant", lr: 1 } },
          { epochs: 4, schedule: { kind: "step", lr: 1, drop: 0.5, epochsDrop: 2 } },
          { schedule: { kind: "cosine", lr: 1 } },
        ],
      },
      12,
      5,
    );
    expect([0, 1, 2].map((e) => s.lr(e, 4))).toEqual([1, 1, 1]);
    expectClose(s.lr(3, 0), 1); // step part, relative epoch 0: 0.5^floor(1/2)
    expectClose(s.lr(4, 0), 0.5);
    expectClose(s.lr(6, 4), 0.25);
    expectClose(s.lr(7, 0), 1); // cosine starts over its 5-epoch span
    expectClose(s.lr(9, 0), (1 + Math.cos((2 * Math.PI) / 5)) / 2);
    expectClose(s.lr(11, 4), (1 + Math.cos((4 * Math.PI) / 5)) / 2);
  });

  it("relative steps and span length for per-step parts", () => {
    const s = schedulerFor(
      {
        kind: "sequence",
        parts: [
          { epochs: 2, schedule: { kind: "constant", lr: 0.5 } },
          { epochs: 2, schedule: { kind: "linear", from: 0, to: 1 } },
          { schedule: { kind: "oneCycle", maxLr: 0.1 } },
        ],
      },
      14,
      10,
    );
    expect(s.lr(2, 0)).toBe(0); // linear restarts at its own step 0
    expectClose(s.lr(3, 5), 15 / 20);
    // oneCycle over the last 10 epochs: total 100 steps, so its peak is at its step 29.
    expectClose(s.lr(4, 0), 0.1 / 25);
    expectClose(s.lr(6, 9), 0.1);
    expectClose(s.lr(13, 9), 0.1 / 25 / 1e4);
  });

  it("nested sequences divide their parent's span", () => {
    const s = schedulerFor(
      {
        kind: "sequence",
        parts: [
          {
            epochs: 6,
            schedule: {
              kind: "sequence",
              parts: [{ epochs: 2, schedule: { kind: "constant", lr: 0.1 } }, { schedule: { kind: "power", lr: 1, power: 1 } }],
            },
          },
          { schedule: { kind: "constant", lr: 0.01 } },
        ],
      },
      10,
      1,
    );
    expect(s.lr(1, 0)).toBe(0.1);
    expectClose(s.lr(2, 0), 1); // power over the inner 4 epochs
    expectClose(s.lr(5, 0), 0.25);
    expect(s.lr(6, 0)).toBe(0.01);
  });

  it("linear warm-up then cosine", () => {
    const epochs = 20;
    const spe = 4;
    const s = schedulerFor(
      {
        kind: "sequence",
        parts: [{ epochs: 5, schedule: { kind: "linear", from: 0, to: 0.1 } }, { schedule: { kind: "cosine", lr: 0.1 } }],
      },
      epochs,
      spe,
    );
    for (let e = 0; e < epochs; e++) {
      for (let k = 0; k < spe; k++) {
        const expected = e < 5 ? (0.1 * (e * spe + k)) / (5 * spe) : (0.1 * (1 + Math.cos((Math.PI * (e - 5)) / 15))) / 2;
        expectClose(s.lr(e, k), expected);
      }
    }
    expectClose(s.lr(4, 3), 0.1 * (19 / 20));
    expectClose(s.lr(5, 0), 0.1);
  });

  it("a last part with declared epochs keeps running past them (like SequentialLR)", () => {
    const s = schedulerFor(
      {
        kind: "sequence",
        parts: [
          { epochs: 2, schedule: { kind: "constant", lr: 1 } },
          { epochs: 2, schedule: { kind: "exponential", lr: 1, k: 1 } },
        ],
      },
      6,
      1,
    );
    expectClose(s.lr(5, 0), Math.exp(-3));
  });

  it("a plateau part only sees epochs in its span, counted from its start", () => {
    const spec = parseScheduleSpec({
      kind: "sequence",
      parts: [
        { epochs: 2, schedule: { kind: "constant", lr: 0.1 } },
        { schedule: { kind: "reduceOnPlateau", lr: 0.05, patience: 1, factor: 0.5, monitor: "loss" } },
      ],
    });
    // Epochs 0–1 report rising losses that would trigger a plateau; the plateau part has not begun.
    const table = lrTable(spec, { epochs: 6, stepsPerEpoch: 2, monitor: [5, 6, 1, 1, 0.5, 0.5] });
    expect(table.map((r) => r[0])).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    const s = createScheduler(spec, { epochs: 6, stepsPerEpoch: 2 });
    s.endEpoch(0, { loss: 5 });
    s.endEpoch(2, { loss: 1 });
    expect(s.getState()).toEqual({ plateaus: [{ lr: 0.05, best: 1, wait: 0, cooldown: 0 }] });
  });
});

describe("momentum inside a sequence", () => {
  it("is the cycling part's while it is in force and null (the optimizer's own) elsewhere", () => {
    const spec = parseScheduleSpec({
      kind: "sequence",
      parts: [
        { epochs: 1, schedule: { kind: "constant", lr: 0.01 } },
        { schedule: { kind: "cyclic", baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, cycleMomentum: true } },
      ],
    });
    const table = scheduleTable(spec, { epochs: 2, stepsPerEpoch: 4 });
    // CyclicLR's momentum: max 0.9 at the base lr, 0.8 at the peak (2 steps up, 2 down).
    expect(table.momentum![0]).toEqual([null, null, null, null]);
    table.momentum![1]!.forEach((m, i) => expectClose(m!, [0.9, 0.85, 0.8, 0.85][i]!));
    expect(scheduleTable(parseScheduleSpec({ kind: "constant", lr: 0.1 }), { epochs: 1, stepsPerEpoch: 1 })).toEqual({ lr: [[0.1]] });
  });
});
