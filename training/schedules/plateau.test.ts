import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { createScheduler } from "./create";
import { parseScheduleSpec, type ScheduleInput } from "./spec";
import { lrTable } from "./table";

const plateau = (extra: Partial<Extract<ScheduleInput, { kind: "reduceOnPlateau" }>> = {}) =>
  parseScheduleSpec({ kind: "reduceOnPlateau", lr: 1, factor: 0.5, patience: 2, minDelta: 0.01, cooldown: 1, minLr: 0.2, ...extra });

describe("reduceOnPlateau (Keras ReduceLROnPlateau)", () => {
  // Walked through by hand, following Keras's on_epoch_end:
  //  e0 1.0   first value improves (best 1.0)
  //  e1 0.995 not below best − minDelta = 0.99 → wait 1
  //  e2 0.99  not strictly below 0.99 → wait 2 = patience → lr 0.5, cooldown 1, wait 0
  //  e3 0.5   cooldown 1 → 0; improves (best 0.5)
  //  e4 0.6   wait 1
  //  e5 0.6   wait 2 → lr 0.25, cooldown 1
  //  e6 0.6   cooldown → 0, and (Keras order) already counts: wait 1
  //  e7 0.6   wait 2 → lr max(0.125, minLr 0.2) = 0.2
  //  e8 0.6   cooldown → 0, wait 1
  //  e9 0.6   wait 2, but lr is not above minLr: no change, wait keeps growing
  //  e10 0.6  wait 3
  const losses = [1.0, 0.995, 0.99, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
  const lrUsedInEpoch = [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2];

  it("drops after patience, honours minDelta, cooldown and the minLr floor; new lr from the next epoch", () => {
    const table = lrTable(plateau(), { epochs: 12, stepsPerEpoch: 3, monitor: losses });
    expect(table.map((row) => row[0])).toEqual(lrUsedInEpoch);
    for (const row of table) expect(new Set(row).size).toBe(1);
  });

  it("exposes best, wait and cooldown in its state", () => {
    const s = createScheduler(plateau(), { epochs: 12, stepsPerEpoch: 3 });
    losses.slice(0, 3).forEach((v, e) => s.endEpoch(e, { val_loss: v }));
    expect(s.getState()).toEqual({ plateaus: [{ lr: 0.5, best: 1, wait: 0, cooldown: 1 }] });
    losses.slice(3).forEach((v, i) => s.endEpoch(3 + i, { val_loss: v }));
    expect(s.getState()).toEqual({ plateaus: [{ lr: 0.2, best: 0.5, wait: 3, cooldown: 0 }] });
  });

  it("continues identically after a JSON round trip of its state mid-run", () => {
    const values = [2, 1.9, 1.95, 1.96, 1.97, 1.5, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6];
    const reference = createScheduler(plateau({ cooldown: 2 }), { epochs: 12, stepsPerEpoch: 1 });
    const first = createScheduler(plateau({ cooldown: 2 }), { epochs: 12, stepsPerEpoch: 1 });
    const expected: number[] = [];
    for (let e = 0; e < 12; e++) {
      expected.push(reference.lr(e, 0));
      reference.endEpoch(e, { val_loss: values[e]! });
    }
    const got: number[] = [];
    for (let e = 0; e < 5; e++) {
      got.push(first.lr(e, 0));
      first.endEpoch(e, { val_loss: values[e]! });
    }
    const resumed = createScheduler(plateau({ cooldown: 2 }), { epochs: 12, stepsPerEpoch: 1 });
    resumed.setState(JSON.parse(JSON.stringify(first.getState())));
    for (let e = 5; e < 12; e++) {
      got.push(resumed.lr(e, 0));
      resumed.endEpoch(e, { val_loss: values[e]! });
    }
    expect(got).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(2);
  });

  it("with thresholdMode rel, improving means beating best·(1 − minDelta) (Keras's order otherwise)", () => {
    const spec = parseScheduleSpec({ kind: "reduceOnPlateau", lr: 1, factor: 0.5, patience: 1, minDelta: 0.1, thresholdMode: "rel" });
    // 10 → best; 9.5 is not below 10·0.9 = 9 → wait 1 = patience → halve; 8.9 < 9 improves; 8.1 is not below 8.01.
    const table = lrTable(spec, { epochs: 5, stepsPerEpoch: 1, monitor: [10, 9.5, 8.9, 8.1] });
    expect(table.map((r) => r[0])).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it("treats accuracies as higher-is-better", () => {
    const spec = parseScheduleSpec({ kind: "reduceOnPlateau", lr: 0.1, monitor: "val_acc", patience: 1, factor: 0.1, minDelta: 0 });
    const table = lrTable(spec, { epochs: 5, stepsPerEpoch: 1, monitor: [0.5, 0.6, 0.7, 0.6, 0.8] });
    // Rising accuracy keeps lr; the drop at epoch 3 reduces it for epoch 4.
    expect(table.map((r) => r[0])).toEqual([0.1, 0.1, 0.1, 0.1, 0.1 * 0.1]);
  });

  it("counts NaN (a diverged run) as no improvement and ignores unreported metrics", () => {
    const spec = parseScheduleSpec({ kind: "reduceOnPlateau", lr: 0.1, patience: 1 });
    const s = createScheduler(spec, { epochs: 5, stepsPerEpoch: 1 });
    s.endEpoch(0, { loss: 0.1 }); // watches val_loss: nothing happens
    expect(s.getState().plateaus[0]).toEqual({ lr: 0.1, best: null, wait: 0, cooldown: 0 });
    s.endEpoch(1, { val_loss: NaN });
    expect(s.lr(2, 0)).toBeCloseTo(0.01, 15);
    expect(JSON.parse(JSON.stringify(s.getState()))).toEqual(s.getState());
  });

  it("validates state given to setState", () => {
    const s = createScheduler(plateau(), { epochs: 3, stepsPerEpoch: 1 });
    const messageOf = (state: unknown) => {
      try {
        s.setState(state);
      } catch (error) {
        if (error instanceof ValidationError) return error.message;
        throw error;
      }
      return "accepted";
    };
    expect(messageOf({ plateaus: [{ lr: 0.5, best: 1, wait: 1.5, cooldown: 0 }] })).toBe(
      "schedulerState.plateaus[0].wait: must be an integer",
    );
    expect(messageOf({ plateaus: [] })).toBe("schedulerState.plateaus: must have 1 entries (one per reduceOnPlateau), got 0");
    expect(messageOf({ plateaus: [{ lr: 2, best: null, wait: 0, cooldown: 0 }] })).toBe(
      "schedulerState.plateaus[0].lr: must be ≤ the schedule's lr (1)",
    );
    expect(messageOf(null)).toMatch(/^schedulerState: must be an object/);
    expect(messageOf({ plateaus: [{ lr: 0.5, best: 0.3, wait: 1, cooldown: 0 }] })).toBe("accepted");
    expect(s.lr(0, 0)).toBe(0.5);
  });
});
