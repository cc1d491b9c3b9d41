import { describe, expect, it } from "vitest";
import { bandOf, welchDifference } from "./welch";

describe("Welch difference", () => {
  it("matches the hand computation", () => {
    // a: mean 0.63, s² = 0.0026/2 = 0.0013; b: mean 0.52, s² = 0.0014/3.
    // se² = 0.0013/3 + 0.0014/12 = 0.00055; df = se⁴ / ((0.0013/3)²/2 + (0.0014/12)²/3) = 3.073377…
    // t(0.975, 3.073377) = 3.139891 (scipy.stats.t.ppf); half-width 3.139891 · √0.00055 = 0.073637.
    // scipy 1.17 ttest_ind(a, b, equal_var=False).confidence_interval(): (0.0363630, 0.1836370).
    const d = welchDifference([0.6, 0.62, 0.67], [0.5, 0.52, 0.51, 0.55])!;
    expect(d.diff).toBeCloseTo(0.11, 12);
    expect(d.df).toBeCloseTo(3.0733772342, 8);
    expect(d.low).toBeCloseTo(0.0363630306, 8);
    expect(d.high).toBeCloseTo(0.1836369694, 8);
    expect(d.verdict).toBe("A better");
    const swapped = welchDifference([0.5, 0.52, 0.51, 0.55], [0.6, 0.62, 0.67])!;
    expect(swapped.low).toBeCloseTo(-0.1836369694, 8);
    expect(swapped.verdict).toBe("B better");
  });

  it("calls overlapping seeds indistinguishable", () => {
    // scipy: df 3.949006, interval (−0.0739285, 0.1005951).
    const d = welchDifference([0.6, 0.62, 0.67], [0.58, 0.66, 0.61])!;
    expect(d.df).toBeCloseTo(3.9490056094, 8);
    expect(d.low).toBeCloseTo(-0.0739284772, 8);
    expect(d.high).toBeCloseTo(0.1005951439, 8);
    expect(d.verdict).toBe("indistinguishable at 95%");
  });

  it("needs two seeds a side; identical seeds give an exact difference", () => {
    expect(welchDifference([0.6], [0.5, 0.52])).toBeNull();
    expect(welchDifference([0.6, 0.6], [0.5, 0.5])).toMatchObject({ diff: expect.closeTo(0.1, 12), verdict: "A better" });
    expect(welchDifference([0.5, 0.5], [0.5, 0.5])!.verdict).toBe("indistinguishable at 95%");
  });
});

describe("seed bands", () => {
  // 1, 2, 6: mean 3, s² = (4 + 1 + 9)/2 = 7, s = √7, se = √(7/3), t(0.975, 2) = 4.302653.
  const values = [1, 2, 6];
  it.each([
    ["minmax", 1, 6],
    ["std", 3 - Math.sqrt(7), 3 + Math.sqrt(7)],
    ["se", 3 - Math.sqrt(7 / 3), 3 + Math.sqrt(7 / 3)],
    ["ci95", 3 - 4.302652729749464 * Math.sqrt(7 / 3), 3 + 4.302652729749464 * Math.sqrt(7 / 3)],
  ] as const)("%s", (band, lo, hi) => {
    const b = bandOf(values, band)!;
    expect(b.lo).toBeCloseTo(lo, 9);
    expect(b.hi).toBeCloseTo(hi, 9);
  });
  it("is absent for one seed", () => expect(bandOf([0.5], "std")).toBeNull());
});
