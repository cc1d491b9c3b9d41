/** "Use" from an LR test: which schedule field gets the lr, kind by kind. */
import { describe, expect, it } from "vitest";
import { applyLr } from "../../app/_components/builder/applyLr";
import { newSchedule, SCHEDULE_KINDS } from "../../app/_components/builder/fields";
import { scheduleSpecSchema, type ScheduleInput } from "../../training/schedules/spec";

describe("applyLr", () => {
  it("writes lr for the single-lr kinds and the peak (maxLr) for oneCycle and cyclic, leaving every other field", () => {
    const cases: [ScheduleInput, ScheduleInput][] = [
      [
        { kind: "constant", lr: 0.1 },
        { kind: "constant", lr: 0.003 },
      ],
      [
        { kind: "timeBased", lr: 0.1, decay: 0.01 },
        { kind: "timeBased", lr: 0.003, decay: 0.01 },
      ],
      [
        { kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 },
        { kind: "step", lr: 0.003, drop: 0.5, epochsDrop: 10 },
      ],
      [
        { kind: "exponential", lr: 0.1, k: 0.1 },
        { kind: "exponential", lr: 0.003, k: 0.1 },
      ],
      [
        { kind: "power", lr: 0.1, power: 2 },
        { kind: "power", lr: 0.003, power: 2 },
      ],
      [
        { kind: "multiStep", lr: 0.1, milestones: [5, 8] },
        { kind: "multiStep", lr: 0.003, milestones: [5, 8] },
      ],
      [
        { kind: "cosine", lr: 0.1, minLr: 0.001 },
        { kind: "cosine", lr: 0.003, minLr: 0.001 },
      ],
      [
        { kind: "cosineRestarts", lr: 0.1, t0: 5 },
        { kind: "cosineRestarts", lr: 0.003, t0: 5 },
      ],
      [
        { kind: "reduceOnPlateau", lr: 0.1, factor: 0.5 },
        { kind: "reduceOnPlateau", lr: 0.003, factor: 0.5 },
      ],
      [
        { kind: "oneCycle", maxLr: 0.1, pctStart: 0.25 },
        { kind: "oneCycle", maxLr: 0.003, pctStart: 0.25 },
      ],
      [
        { kind: "cyclic", baseLr: 0.001, maxLr: 0.1, stepSizeUp: 100 },
        { kind: "cyclic", baseLr: 0.001, maxLr: 0.003, stepSizeUp: 100 },
      ],
    ];
    for (const [before, after] of cases) expect(applyLr(before, 0.003)).toEqual({ schedule: after });
  });

  it("refuses the kinds with no single main lr, saying why", () => {
    expect(applyLr({ kind: "piecewise", boundaries: [5], values: [0.1, 0.01] }, 0.003)).toEqual({
      error: "a piecewise schedule has one lr per piece; set them by hand",
    });
    expect(applyLr({ kind: "linear", from: 0, to: 0.1 }, 0.003)).toEqual({
      error: "a linear schedule goes from one lr to another; set them by hand",
    });
    expect(applyLr({ kind: "sequence", parts: [{ schedule: { kind: "constant", lr: 0.1 } }] }, 0.003)).toEqual({
      error: "a sequence has an lr per part; set them by hand",
    });
    expect(applyLr({ kind: "expression", expr: "0.1" }, 0.003)).toEqual({
      error: "an expression schedule has no lr field; use the value in the formula",
    });
  });

  it("gives every kind's starting spec a valid result or a reason, and refuses a non-positive lr", () => {
    for (const kind of SCHEDULE_KINDS) {
      const result = applyLr(newSchedule(kind), 0.02);
      if ("schedule" in result) expect(scheduleSpecSchema.safeParse(result.schedule).success).toBe(true);
      else expect(result.error).toMatch(/set them by hand|formula/);
    }
    expect(applyLr({ kind: "constant", lr: 0.1 }, 0)).toEqual({ error: "the lr must be a positive number" });
    expect(applyLr({ kind: "constant", lr: 0.1 }, Number.NaN)).toEqual({ error: "the lr must be a positive number" });
  });
});
