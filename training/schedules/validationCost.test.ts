/**
 * Validation cost: however long the run, checking a schedule evaluates formulas O(epochs) plus a
 * bounded number of times, never once per step (200 epochs at batch size 1 are 10 million steps).
 * Evaluations are counted by wrapping the expression compiler; past the bound the wrapper throws,
 * so an unbounded check fails at once instead of running for minutes.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseScheduleSpec } from "./spec";
import { checkScheduleOverRun } from "./table";

const BOUND = 2_500;
let evaluations = 0;

vi.mock("../expression/compile", async (importOriginal) => {
  const original = await importOriginal<typeof import("../expression/compile")>();
  return {
    ...original,
    compileExpression: (text: string) => {
      const compiled = original.compileExpression(text);
      return {
        ...compiled,
        evaluate: (vars: Parameters<typeof compiled.evaluate>[0]) => {
          if (++evaluations > BOUND) throw new Error(`more than ${BOUND} formula evaluations`);
          return compiled.evaluate(vars);
        },
      };
    },
  };
});

beforeEach(() => {
  evaluations = 0;
});

/** CIFAR-10's 50,000 training images at batch size 1. */
const STEPS = 50_000;

describe("schedule validation cost", () => {
  it.each([200, 1000])("a per-step formula over %i epochs of 50,000 steps: at most 2,500 evaluations", (epochs) => {
    const spec = parseScheduleSpec({ kind: "expression", expr: "0.1 * (1 + cos(pi * step / (epochs * stepsPerEpoch))) / 2 + 1e-6" });
    expect(checkScheduleOverRun(spec, { epochs, stepsPerEpoch: STEPS })).toEqual([]);
    expect(evaluations).toBeGreaterThanOrEqual(2 * epochs); // every epoch, first and last step at least
    expect(evaluations).toBeLessThanOrEqual(BOUND);
  });

  it("a per-epoch formula: once per epoch", () => {
    const spec = parseScheduleSpec({ kind: "expression", expr: "0.1 * exp(-epoch / 10)" });
    expect(checkScheduleOverRun(spec, { epochs: 1000, stepsPerEpoch: STEPS })).toEqual([]);
    expect(evaluations).toBe(1000);
  });

  it("still finds a value that goes negative at every epoch's last step", () => {
    // floor((step + 1) / stepsPerEpoch - epoch) is 1 at an epoch's last step, 0 elsewhere.
    const spec = parseScheduleSpec({ kind: "expression", expr: "0.1 - 0.2 * floor((step + 1) / stepsPerEpoch - epoch)" });
    expect(checkScheduleOverRun(spec, { epochs: 200, stepsPerEpoch: STEPS })).toEqual([
      {
        path: "schedule.expr",
        message: "result is negative (-0.1) at position 1, at epoch 0, step 49999 (global step 49999)",
      },
    ]);
  });
});
