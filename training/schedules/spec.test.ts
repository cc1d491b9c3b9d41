import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError, zodIssues } from "../errors";
import { MAX_SEQUENCE_DEPTH } from "./nesting";
import { parseScheduleSpec, SCHEDULE_KINDS, scheduleSpecSchema } from "./spec";

function issuesOf(input: unknown, prefix?: PropertyKey[]): string[] {
  try {
    parseScheduleSpec(input, prefix);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe("parseScheduleSpec: defaults", () => {
  it("fills PyTorch's defaults for oneCycle, cyclic, cosineRestarts, multiStep", () => {
    expect(parseScheduleSpec({ kind: "oneCycle", maxLr: 0.1 })).toEqual({
      kind: "oneCycle",
      maxLr: 0.1,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 1e4,
      anneal: "cos",
    });
    expect(parseScheduleSpec({ kind: "cyclic", baseLr: 0.001, maxLr: 0.1 })).toEqual({
      kind: "cyclic",
      baseLr: 0.001,
      maxLr: 0.1,
      stepSizeUp: 2000,
      mode: "triangular",
    });
    expect(parseScheduleSpec({ kind: "cosineRestarts", lr: 0.1, t0: 10 })).toEqual({
      kind: "cosineRestarts",
      lr: 0.1,
      t0: 10,
      tMult: 1,
      minLr: 0,
    });
    expect(parseScheduleSpec({ kind: "cosine", lr: 0.1 })).toEqual({ kind: "cosine", lr: 0.1, minLr: 0 });
    expect(parseScheduleSpec({ kind: "multiStep", lr: 0.1, milestones: [30, 60] })).toMatchObject({ gamma: 0.1 });
  });

  it("adds none of the newer fields to a spec that does not set them (stored configs parse and hash as before)", () => {
    expect(parseScheduleSpec({ kind: "power", lr: 0.1, power: 2 })).toEqual({ kind: "power", lr: 0.1, power: 2 });
    expect(parseScheduleSpec({ kind: "exponential", lr: 0.1, k: 0.1 })).toEqual({ kind: "exponential", lr: 0.1, k: 0.1 });
    expect(Object.keys(parseScheduleSpec({ kind: "reduceOnPlateau", lr: 0.1 })).sort()).toEqual(
      ["cooldown", "factor", "kind", "lr", "minDelta", "minLr", "monitor", "patience"].sort(),
    );
  });

  it("fills Keras's ReduceLROnPlateau defaults", () => {
    expect(parseScheduleSpec({ kind: "reduceOnPlateau", lr: 0.1 })).toEqual({
      kind: "reduceOnPlateau",
      lr: 0.1,
      factor: 0.1,
      patience: 10,
      minDelta: 1e-4,
      cooldown: 0,
      minLr: 0,
      monitor: "val_loss",
    });
  });

  it("is idempotent: its output is valid input giving the same output", () => {
    const once = parseScheduleSpec({
      kind: "sequence",
      parts: [
        { epochs: 5, schedule: { kind: "linear", from: 0, to: 0.1 } },
        {
          schedule: {
            kind: "sequence",
            parts: [{ epochs: 3, schedule: { kind: "oneCycle", maxLr: 0.1 } }, { schedule: { kind: "cosine", lr: 0.1 } }],
          },
        },
      ],
    });
    expect(parseScheduleSpec(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it("accepts every kind it lists, and lr = 50 (divergence experiments)", () => {
    expect(SCHEDULE_KINDS).toHaveLength(15);
    expect(new Set(SCHEDULE_KINDS).size).toBe(15);
    expect(parseScheduleSpec({ kind: "constant", lr: 50 })).toEqual({ kind: "constant", lr: 50 });
  });
});

describe("parseScheduleSpec: errors name the JSON path", () => {
  it("nested sequence field", () => {
    const input = {
      kind: "sequence",
      parts: [
        { epochs: 5, schedule: { kind: "constant", lr: 0.1 } },
        { schedule: { kind: "multiStep", lr: 0.1, milestones: [10], gamma: 0 } },
      ],
    };
    expect(issuesOf(input)).toEqual(["schedule.parts[1].schedule.gamma: must be > 0"]);
  });

  it.each([
    [{ kind: "constant", lr: 0 }, "schedule.lr: must be > 0"],
    [{ kind: "constant", lr: -1 }, "schedule.lr: must be > 0"],
    [{ kind: "constant", lr: 1001 }, "schedule.lr: must be ≤ 1000"],
    [{ kind: "constant" }, "schedule.lr: is required"],
    [{ kind: "constant", lr: "0.1" }, "schedule.lr: must be a number"],
    [{ kind: "constant", lr: 0.1, lrr: 1 }, "schedule.lrr: unknown field"],
    [{ kind: "cosineRestarts", lr: 0.1, t0: 2.5 }, "schedule.t0: must be an integer"],
    [{ kind: "cosineRestarts", lr: 0.1, t0: 0 }, "schedule.t0: must be ≥ 1"],
    [{ kind: "cosineRestarts", lr: 0.1, t0: 100_001 }, "schedule.t0: must be ≤ 100000"],
    [{ kind: "cosine", lr: 0.1, minLr: -0.1 }, "schedule.minLr: must be ≥ 0"],
    [
      { kind: "piecewise", boundaries: [10, 20], values: [0.1, 0.01] },
      "schedule.values: must have one more value than boundaries (2 boundaries, 2 values)",
    ],
    [
      { kind: "piecewise", boundaries: [10, 10], values: [0.1, 0.01, 0.001] },
      "schedule.boundaries[1]: must be > 10 (boundaries must be ascending)",
    ],
    [{ kind: "multiStep", lr: 0.1, milestones: [30, 20] }, "schedule.milestones[1]: must be > 30 (milestones must be ascending)"],
    [{ kind: "multiStep", lr: 0.1, milestones: [1.5] }, "schedule.milestones[0]: must be an integer"],
    [{ kind: "reduceOnPlateau", lr: 0.1, factor: 1 }, "schedule.factor: must be < 1"],
    [{ kind: "reduceOnPlateau", lr: 0.1, monitor: "val_accuracy" }, "schedule.monitor: must be one of val_loss, loss, val_acc, acc"],
    [{ kind: "oneCycle", maxLr: 0.1, pctStart: 1.5 }, "schedule.pctStart: must be ≤ 1"],
    [{ kind: "oneCycle", maxLr: 0.1, anneal: "cosine" }, "schedule.anneal: must be 'cos' or 'linear'"],
    [{ kind: "cyclic", baseLr: 0.1, maxLr: 1, mode: "exp" }, "schedule.mode: must be 'triangular', 'triangular2' or 'exp_range'"],
    [{ kind: "cyclic", baseLr: 0.1, maxLr: 1, gamma: 0.99 }, "schedule.gamma: only applies with mode 'exp_range'"],
    [{ kind: "cyclic", baseLr: 0.1, maxLr: 1, mode: "exp_range", gamma: 1.5 }, "schedule.gamma: must be ≤ 1"],
    [{ kind: "cyclic", baseLr: 0.1, maxLr: 1, baseMomentum: 0.8 }, "schedule.baseMomentum: only applies with cycleMomentum: true"],
    [{ kind: "oneCycle", maxLr: 1, cycleMomentum: true, maxMomentum: 1 }, "schedule.maxMomentum: must be < 1"],
    [
      { kind: "oneCycle", maxLr: 1, threePhase: true, pctStart: 0.6 },
      "schedule.pctStart: must be ≤ 0.5 with threePhase (the rise and the fall each take pctStart)",
    ],
    [{ kind: "oneCycle", maxLr: 1, threePhase: true, convention: "fastai" }, "schedule.threePhase: fastai's one-cycle has two phases"],
    [{ kind: "cosine", lr: 1, tMax: 0 }, "schedule.tMax: must be ≥ 1"],
    [{ kind: "power", lr: 1, power: 1, endLr: -1 }, "schedule.endLr: must be ≥ 0"],
    [{ kind: "exponential", lr: 1, k: 1, unit: "batch" }, "schedule.unit: must be 'epoch' or 'step'"],
    [{ kind: "reduceOnPlateau", lr: 1, thresholdMode: "relative" }, "schedule.thresholdMode: must be 'abs' or 'rel'"],
    [{ kind: "reduceOnPlateau", lr: 1, convention: "torch" }, "schedule.convention: must be 'keras' or 'pytorch'"],
    [{ kind: "linear", from: -1, to: 0.1 }, "schedule.from: must be ≥ 0"],
    [{ kind: "expression", expr: "0.1 * foo" }, "schedule.expr: unknown name 'foo' at position 7"],
    [{ kind: "expression", expr: "epoch ^^ 2" }, "schedule.expr: unexpected '^' at position 8"],
    [{ kind: "expression", expr: "" }, "schedule.expr: expression is empty at position 1"],
    [{ kind: "expression" }, "schedule.expr: is required"],
    [{ kind: "sequence", parts: [] }, "schedule.parts: must have at least one part"],
    [
      { kind: "sequence", parts: [{ schedule: { kind: "constant", lr: 1 } }, { schedule: { kind: "constant", lr: 1 } }] },
      "schedule.parts[0].epochs: is required (only the last part may omit it)",
    ],
    [{ kind: "sequence", parts: [{ epochs: 0, schedule: { kind: "constant", lr: 1 } }] }, "schedule.parts[0].epochs: must be ≥ 1"],
    [
      { kind: "sequence", parts: [{ epochs: 1, schedule: { kind: "constant", lr: 1 }, extra: 1 }] },
      "schedule.parts[0].extra: unknown field",
    ],
  ])("%j → %s", (input, message) => {
    expect(issuesOf(input)).toContain(message);
  });

  it("names an unknown kind, a missing kind and a non-object", () => {
    const [unknownKind] = issuesOf({ kind: "cosinus", lr: 0.1 });
    expect(unknownKind).toMatch(/^schedule\.kind: must be one of constant, timeBased, .*expression$/);
    expect(issuesOf({ lr: 0.1 })[0]).toMatch(/^schedule\.kind: must be one of/);
    expect(issuesOf("cosine")[0]).toMatch(/^schedule: must be an object/);
  });

  it("reports a bad formula deep in nested sequences with its full path", () => {
    const input = {
      kind: "sequence",
      parts: [
        { epochs: 2, schedule: { kind: "constant", lr: 0.1 } },
        { schedule: { kind: "sequence", parts: [{ schedule: { kind: "expression", expr: "toString()" } }] } },
      ],
    };
    expect(issuesOf(input)).toEqual(["schedule.parts[1].schedule.parts[0].schedule.expr: unknown function 'toString' at position 1"]);
  });

  it("allows sequences nested 16 deep and rejects deeper ones before recursing", () => {
    const nest = (depth: number) => {
      let spec: unknown = { kind: "constant", lr: 0.1 };
      for (let i = 0; i < depth; i++) spec = { kind: "sequence", parts: [{ schedule: spec }] };
      return spec;
    };
    expect(() => parseScheduleSpec(nest(MAX_SEQUENCE_DEPTH))).not.toThrow();
    const message = `schedule.parts[0].schedule: sequences must not nest more than ${MAX_SEQUENCE_DEPTH} levels deep`;
    expect(issuesOf(nest(MAX_SEQUENCE_DEPTH + 1))).toEqual([message]);
    // Deep enough to overflow the stack if parsed recursively.
    expect(issuesOf(nest(10_000))).toEqual([message]);
  });

  it("rejects a 100k-character formula by its length", () => {
    expect(issuesOf({ kind: "expression", expr: "1+".repeat(50_000) + "1" })).toEqual([
      "schedule.expr: expression is longer than 1000 characters at position 1001",
    ]);
  });

  it("uses the caller's prefix", () => {
    expect(issuesOf({ kind: "constant", lr: 0 }, ["runs", 2, "schedule"])).toEqual(["runs[2].schedule.lr: must be > 0"]);
  });

  it("rejects bad formulas when embedded in a bigger schema", () => {
    const config = z.strictObject({ epochs: z.number(), schedule: scheduleSpecSchema });
    const result = config.safeParse({ epochs: 3, schedule: { kind: "expression", expr: "constructor" } });
    expect(result.success).toBe(false);
    expect(zodIssues(result.error!)).toEqual([{ path: "schedule.expr", message: "unknown name 'constructor' at position 1" }]);
  });
});
