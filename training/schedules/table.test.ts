import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { createScheduler } from "./create";
import { ScheduleRangeError } from "./rangeError";
import { parseScheduleSpec, type ScheduleInput } from "./spec";
import { checkScheduleOverRun, lrTable, monitorsOf } from "./table";

const spec = (input: ScheduleInput) => parseScheduleSpec(input);

describe("lrTable", () => {
  it("has one row per epoch and one entry per step", () => {
    const table = lrTable(spec({ kind: "timeBased", lr: 0.1, decay: 0.5 }), { epochs: 3, stepsPerEpoch: 4 });
    expect(table).toHaveLength(3);
    for (const row of table) expect(row).toHaveLength(4);
    expect(table[2]![3]).toBeCloseTo(0.1 / (1 + 0.5 * 11), 15);
    expect(table.flat()).toEqual([...Array(12).keys()].map((step) => 0.1 / (1 + 0.5 * step)));
  });

  it("feeds monitor[i] after epoch i under the plateau's metric name", () => {
    const plateau = spec({ kind: "reduceOnPlateau", lr: 0.1, monitor: "acc", patience: 1, factor: 0.5, minDelta: 0 });
    expect(monitorsOf(plateau)).toEqual(["acc"]);
    const table = lrTable(plateau, { epochs: 4, stepsPerEpoch: 2, monitor: [0.5, 0.4, 0.3, 0.2] });
    expect(table).toEqual([
      [0.1, 0.1],
      [0.1, 0.1],
      [0.05, 0.05],
      [0.025, 0.025],
    ]);
    // Without monitor values the plateau never moves.
    expect(lrTable(plateau, { epochs: 4, stepsPerEpoch: 1 }).flat()).toEqual([0.1, 0.1, 0.1, 0.1]);
  });

  it("throws ScheduleRangeError naming the field, epoch and step", () => {
    const bad = spec({ kind: "expression", expr: "0.1 - step / 10" });
    let caught: unknown;
    try {
      lrTable(bad, { epochs: 2, stepsPerEpoch: 3 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScheduleRangeError);
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ScheduleRangeError;
    expect([error.path, error.epoch, error.stepInEpoch, error.step]).toEqual(["schedule.expr", 0, 2, 2]);
    expect(error.message).toBe(`schedule.expr: result is negative (-0.1) at position 1, at epoch 0, step 2 (global step 2)`);
  });
});

describe("checkScheduleOverRun", () => {
  it("accepts schedules that stay finite and ≥ 0", () => {
    expect(checkScheduleOverRun(spec({ kind: "cosine", lr: 0.1 }), { epochs: 50, stepsPerEpoch: 100 })).toEqual([]);
    expect(checkScheduleOverRun(spec({ kind: "expression", expr: "0.1 * exp(-epoch / 10)" }), { epochs: 50, stepsPerEpoch: 100 })).toEqual(
      [],
    );
  });

  it("reports the first negative value of a formula with epoch and step", () => {
    const issues = checkScheduleOverRun(spec({ kind: "expression", expr: "0.1 - epoch / 100" }), { epochs: 20, stepsPerEpoch: 50 });
    expect(issues).toEqual([
      { path: "schedule.expr", message: `result is negative (-0.01) at position 1, at epoch 11, step 0 (global step 550)` },
    ]);
  });

  it("checks every step of per-step formulas", () => {
    const issues = checkScheduleOverRun(spec({ kind: "expression", expr: "0.1 - step / 1000" }), { epochs: 3, stepsPerEpoch: 40 });
    expect(issues[0]!.message).toMatch(/at epoch 2, step 21 \(global step 101\)$/);
  });

  it("names the nested part, with the run's epoch", () => {
    const input: ScheduleInput = {
      kind: "sequence",
      parts: [
        { epochs: 4, schedule: { kind: "linear", from: 0, to: 0.1 } },
        { schedule: { kind: "expression", expr: "0.1 * log(epoch)" } },
      ],
    };
    expect(checkScheduleOverRun(spec(input), { epochs: 10, stepsPerEpoch: 5 })).toEqual([
      { path: "schedule.parts[1].schedule.expr", message: "log(...) gives -Infinity at position 7, at epoch 4, step 0 (global step 20)" },
    ]);
    expect(checkScheduleOverRun(spec(input), { epochs: 10, stepsPerEpoch: 5 }, ["runs", 0, "schedule"])[0]!.path).toBe(
      "runs[0].schedule.parts[1].schedule.expr",
    );
  });

  it("catches overflow in built-in kinds too", () => {
    const milestones = [...Array(120).keys()];
    const issues = checkScheduleOverRun(spec({ kind: "multiStep", lr: 1, milestones, gamma: 1000 }), { epochs: 120, stepsPerEpoch: 2 });
    expect(issues).toEqual([
      { path: "schedule", message: "lr is Infinity; must be finite and ≥ 0, at epoch 102, step 0 (global step 204)" },
    ]);
  });

  it("rejects a bad run context", () => {
    expect(() => createScheduler(spec({ kind: "constant", lr: 1 }), { epochs: 0, stepsPerEpoch: 1 })).toThrow(
      /epochs must be an integer ≥ 1/,
    );
    expect(() => createScheduler(spec({ kind: "constant", lr: 1 }), { epochs: 1, stepsPerEpoch: 1.5 })).toThrow(/stepsPerEpoch/);
  });

  it("is fast enough for a long per-step run", () => {
    const started = performance.now();
    const s = spec({ kind: "expression", expr: "0.1 * (1 + cos(pi * step / (epochs * stepsPerEpoch))) / 2 + 1e-6" });
    expect(checkScheduleOverRun(s, { epochs: 200, stepsPerEpoch: 391 })).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
