/** The leaderboard's statistics against hand-computed values. */
import { describe, expect, it } from "vitest";
import { lnGamma, regularizedBeta, sampleStats, studentTCdf, studentTQuantile, tiedWith } from "../../lib/stats/stats";

describe("Student t", () => {
  it("has the tabulated 97.5% quantiles", () => {
    // Standard t tables (two-sided 95%), to the digits they print.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4); // → the normal quantile
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.1318, 4);
  });

  it("has a CDF that agrees with closed forms", () => {
    // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/π. df = 2: F(t) = 1/2 + t / (2√(2 + t²)).
    for (const x of [-3, -0.5, 0, 0.7, 4]) {
      expect(studentTCdf(x, 1)).toBeCloseTo(0.5 + Math.atan(x) / Math.PI, 12);
      expect(studentTCdf(x, 2)).toBeCloseTo(0.5 + x / (2 * Math.sqrt(2 + x * x)), 12);
    }
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
  });

  it("rejects quantiles it does not compute", () => {
    expect(() => studentTQuantile(0.4, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
  });
});

describe("sampleStats", () => {
  it("n = 0 and n = 1 have no spread and no interval", () => {
    expect(sampleStats([])).toEqual({ n: 0, mean: null, std: null, ciLow: null, ciHigh: null });
    expect(sampleStats([0.61])).toEqual({ n: 1, mean: 0.61, std: null, ciLow: null, ciHigh: null });
  });

  it("n = 2: mean 0.75, s = √0.005, half-width 12.7062 · 0.05", () => {
    const s = sampleStats([0.7, 0.8]);
    expect(s.mean).toBeCloseTo(0.75, 12);
    expect(s.std).toBeCloseTo(0.0707107, 6);
    expect(s.ciLow).toBeCloseTo(0.75 - 0.63531, 5);
    expect(s.ciHigh).toBeCloseTo(0.75 + 0.63531, 5);
  });

  it("n = 3: mean 0.63, s = √0.0013, half-width 4.30265 · s/√3", () => {
    const s = sampleStats([0.6, 0.62, 0.67]);
    expect(s.mean).toBeCloseTo(0.63, 12);
    expect(s.std).toBeCloseTo(0.0360555, 6);
    expect(s.ciLow).toBeCloseTo(0.540433, 5);
    expect(s.ciHigh).toBeCloseTo(0.719567, 5);
  });

  it("n = 10: 0.70 … 0.79, s = √(0.00825/9), half-width 2.26216 · s/√10", () => {
    const s = sampleStats([0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79]);
    expect(s.mean).toBeCloseTo(0.745, 12);
    expect(s.std).toBeCloseTo(0.0302765, 6);
    expect(s.ciLow).toBeCloseTo(0.723342, 5);
    expect(s.ciHigh).toBeCloseTo(0.766658, 5);
  });

  it("identical seeds have zero spread and a zero-width interval", () => {
    expect(sampleStats([0.5, 0.5, 0.5])).toEqual({ n: 3, mean: 0.5, std: 0, ciLow: 0.5, ciHigh: 0.5 });
  });
});

describe("tiedWith", () => {
  const leader = { ciLow: 0.7, ciHigh: 0.8 };
  it("is overlap of the two 95% intervals, endpoints included", () => {
    expect(tiedWith(leader, { ciLow: 0.65, ciHigh: 0.71 })).toBe(true);
    expect(tiedWith(leader, { ciLow: 0.6, ciHigh: 0.7 })).toBe(true);
    expect(tiedWith(leader, { ciLow: 0.72, ciHigh: 0.75 })).toBe(true); // inside
    expect(tiedWith(leader, { ciLow: 0.6, ciHigh: 0.699 })).toBe(false);
  });
  it("never ties without an interval", () => {
    expect(tiedWith(leader, { ciLow: null, ciHigh: null })).toBe(false);
    expect(tiedWith({ ciLow: null, ciHigh: null }, { ciLow: 0.7, ciHigh: 0.8 })).toBe(false);
  });
});
