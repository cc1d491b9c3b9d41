/** The share card's description, against hand-written expectations. */
import { describe, expect, it } from "vitest";
import { comparisonDescription } from "../../server/edge/shareCard";

describe("comparison share description", () => {
  it("counts runs, names the best val accuracy and its run, and lists each schedule once", () => {
    const runs = [
      { label: "SGD · step", schedule: "step 0.1 ×0.5 every 10", bestValAcc: 0.6512 },
      { label: "SGD · step (seed 2)", schedule: "step 0.1 ×0.5 every 10", bestValAcc: 0.7 },
      { label: "Adam", schedule: "constant 0.001", bestValAcc: 0.6804 },
    ];
    expect(comparisonDescription(runs)).toBe(
      "3 runs · best val accuracy 70.0% (SGD · step (seed 2)) · schedules: step 0.1 ×0.5 every 10; constant 0.001",
    );
  });

  it("says when nothing has been measured yet, and shortens a long schedule list", () => {
    const runs = ["a", "b", "c", "d", "e", "f"].map((s) => ({ label: s, schedule: `constant ${s}`, bestValAcc: null }));
    expect(comparisonDescription(runs)).toBe(
      "6 runs · no val accuracy yet · schedules: constant a; constant b; constant c; constant d and 2 more",
    );
    expect(comparisonDescription([{ label: "x", schedule: "cosine", bestValAcc: Number.NaN }])).toBe(
      "1 run · no val accuracy yet · schedules: cosine",
    );
  });
});
