/** The comparison page's differences: final test accuracies per config, the best, and the Welch verdict. */
import { describe, expect, it } from "vitest";
import { bestGroup, compareGroups, finalTestAcc, seedGroups } from "../../app/_components/comparison/differences";
import type { MetricColumns, PresentedRun } from "../../server/api/present";

const run = (id: string, group: string, finalValAcc: number, extra: Partial<PresentedRun> = {}) =>
  ({ id, group, label: group, kind: "full", status: "succeeded", finalValAcc, config: {}, ...extra }) as PresentedRun;
const cols = (testAcc: number[]) => ({ testAcc }) as MetricColumns;

describe("comparison differences", () => {
  it("reads the last epoch's test accuracy, or the final val accuracy of a run without a split recorded before", () => {
    expect(finalTestAcc(run("a", "A", 0.5), cols([0.6, 0.7]))).toBe(0.7);
    expect(finalTestAcc(run("a", "A", 0.5), cols([Number.NaN]))).toBe(0.5);
    expect(finalTestAcc(run("a", "A", 0.5), undefined)).toBe(0.5);
    // With a split, val is not the test set: unknown rather than wrong.
    expect(finalTestAcc(run("a", "A", 0.5, { config: { valSplit: 100 } as PresentedRun["config"] }), undefined)).toBeNull();
  });

  it("groups succeeded full runs, picks the best mean with n ≥ 2, and gives the Welch verdict", () => {
    const runs = [
      run("a1", "A", 0.6),
      run("a2", "A", 0.62),
      run("a3", "A", 0.67),
      run("b1", "B", 0.5),
      run("b2", "B", 0.52),
      run("b3", "B", 0.51),
      run("b4", "B", 0.55),
      run("c1", "C", 0.99), // one lucky seed: never the reference
      run("a4", "A", 0.1, { status: "diverged" }),
      run("p", "A", 0.9, { kind: "preview" }),
    ];
    const groups = seedGroups(runs, {});
    expect(groups.map((g) => [g.key, g.values])).toEqual([
      ["A", [0.6, 0.62, 0.67]],
      ["B", [0.5, 0.52, 0.51, 0.55]],
      ["C", [0.99]],
    ]);
    const best = bestGroup(groups)!;
    expect(best.key).toBe("A");
    // Hand values (see server/leaderboard/welch.test.ts): B − A = −0.11 in [−0.18364, −0.03636].
    const d = compareGroups(groups[1]!, best)!;
    expect(d.low).toBeCloseTo(-0.1836369694, 8);
    expect(d.high).toBeCloseTo(-0.0363630306, 8);
    expect(d.verdict).toBe("B better");
    expect(compareGroups(groups[2]!, best)).toBeNull();
  });
});
