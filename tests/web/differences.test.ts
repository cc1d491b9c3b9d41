/** The comparison page's differences: final test accuracies per config, the best, and the Welch verdict. */
import { describe, expect, it } from "vitest";
import { bestGroup, compareGroups, finalTestAcc, referenceOf, seedGroups } from "../../app/_components/comparison/differences";
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
    expect(groups.map((g) => [g.label, g.values])).toEqual([
      ["A", [0.6, 0.62, 0.67]],
      ["B", [0.5, 0.52, 0.51, 0.55]],
      ["C", [0.99]],
    ]);
    const best = bestGroup(groups)!;
    expect(best.label).toBe("A");
    // Hand values (see server/leaderboard/welch.test.ts): B − A = −0.11 in [−0.18364, −0.03636].
    const d = compareGroups(groups[1]!, best)!;
    expect(d.low).toBeCloseTo(-0.1836369694, 8);
    expect(d.high).toBeCloseTo(-0.0363630306, 8);
    expect(d.verdict).toBe("B better");
    expect(compareGroups(groups[2]!, best)).toBeNull();
  });

  it("never pools seeds of different trainer versions, and takes each version's own best as its reference", () => {
    const v = (trainerVersion: string) => ({ trainerVersion });
    const runs = [
      run("a1", "A", 0.6, v("wasm-1")),
      run("a2", "A", 0.62, v("wasm-1")),
      run("a3", "A", 0.8, v("wasm-2")),
      run("a4", "A", 0.82, v("wasm-2")),
      run("b1", "B", 0.7, v("wasm-1")),
      run("b2", "B", 0.72, v("wasm-1")),
    ];
    const groups = seedGroups(runs, {});
    // A's four seeds are two groups of two, labelled with their version; B has one version, so no suffix.
    expect(groups.map((g) => [g.label, g.values])).toEqual([
      ["A · wasm-1", [0.6, 0.62]],
      ["A · wasm-2", [0.8, 0.82]],
      ["B", [0.7, 0.72]],
    ]);
    // A under wasm-2 is best overall, but wasm-1's rows stand against wasm-1's best, B.
    expect(referenceOf(groups, groups[0]!)?.label).toBe("B");
    expect(referenceOf(groups, groups[1]!)?.label).toBe("A · wasm-2");
    expect(referenceOf(groups, groups[2]!)?.label).toBe("B");
  });
});
