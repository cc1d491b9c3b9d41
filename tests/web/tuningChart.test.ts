/** A tuning's page view: sweep points from the runs, one line per epochs trained, the selected lr marked, the tuned result. */
import { describe, expect, it } from "vitest";
import { tuningChart } from "../../app/_components/comparison/tuningChart";
import { halvingStopReason, summarizeTuning, type TuningRun } from "../../lib/tunings";

const run = (over: Partial<TuningRun> & { lr: number }): TuningRun => {
  const { lr, ...rest } = over;
  return {
    tuningId: "t1",
    tuningRole: "sweep",
    config: { schedule: { kind: "constant", lr }, seed: 0 },
    status: "succeeded",
    epochsCompleted: 6,
    finalValAcc: 0.5,
    error: null,
    ...rest,
  };
};

describe("tuned comparison view", () => {
  const runs: TuningRun[] = [
    run({ lr: 0.1, finalValAcc: 0.4 }),
    run({ lr: 0.001, status: "canceled", epochsCompleted: 2, finalValAcc: 0.2, error: halvingStopReason(2) }),
    run({ lr: 0.01, finalValAcc: 0.6 }),
    run({ lr: 1, status: "diverged", epochsCompleted: 1, finalValAcc: Number.NaN }),
    run({ lr: 0.03, tuningId: "other", finalValAcc: 0.9 }),
    run({ lr: 0.01, tuningRole: "final", config: { schedule: { kind: "constant", lr: 0.01 }, seed: 4 }, finalValAcc: 0.55 }),
    run({ lr: 0.01, tuningRole: "final", config: { schedule: { kind: "constant", lr: 0.01 }, seed: 5 }, finalValAcc: 0.65 }),
    run({ lr: 0.01, tuningRole: "final", status: "running", epochsCompleted: 3, finalValAcc: 0.3 }),
  ];

  it("summarizes the sweep in lr order and averages the succeeded final runs only", () => {
    const summary = summarizeTuning("t1", runs);
    expect(summary.sweep.map((p) => [p.lr, p.epochs, p.status, p.stoppedByHalving])).toEqual([
      [0.001, 2, "canceled", true],
      [0.01, 6, "succeeded", false],
      [0.1, 6, "succeeded", false],
      [1, 1, "diverged", false],
    ]);
    expect(summary.final.runs).toBe(3);
    expect(summary.final.seeds).toEqual([4, 5]);
    expect(summary.final.meanTestAcc).toBeCloseTo(0.6, 12);
  });

  it("draws one line per epochs trained on log10 lr, leaves out NaN, and marks the selected lr", () => {
    const chart = tuningChart(summarizeTuning("t1", runs).sweep, 0.01, 6);
    expect(chart.series.map((s) => [s.label, s.x, s.y])).toEqual([
      ["trained 6 epochs (all)", [-2, -1], [0.6, 0.4]],
      ["stopped after 2 epochs", [-3], [0.2]],
    ]);
    expect(chart.points).toEqual([{ key: "selected", label: "selected lr 0.0100", color: "#D55E00", x: -2, y: 0.6 }]);
    expect(tuningChart(summarizeTuning("t1", runs).sweep, null, 6).points).toEqual([]);
  });
});
