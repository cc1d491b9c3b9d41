/**
 * Differences between two configurations' seeds, and the bands drawn around a seed group's mean.
 * Welch's t interval (unequal variances, Welch–Satterthwaite degrees of freedom), as in
 * scipy.stats.ttest_ind(a, b, equal_var=False).confidence_interval(). Pure; used by the comparison page.
 */
import { sampleStats, studentTQuantile } from "./stats";

export type Verdict = "A better" | "B better" | "indistinguishable at 95%";

export interface Difference {
  nA: number;
  nB: number;
  meanA: number;
  meanB: number;
  /** meanA − meanB and its 95% interval. */
  diff: number;
  low: number;
  high: number;
  df: number;
  verdict: Verdict;
}

const variance = (values: readonly number[], mean: number) => values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);

/** The 95% Welch interval of mean(a) − mean(b); null unless both have n ≥ 2 (one seed says nothing about seed noise). */
export function welchDifference(a: readonly number[], b: readonly number[]): Difference | null {
  if (a.length < 2 || b.length < 2) return null;
  const meanA = a.reduce((s, v) => s + v, 0) / a.length;
  const meanB = b.reduce((s, v) => s + v, 0) / b.length;
  const seA = variance(a, meanA) / a.length;
  const seB = variance(b, meanB) / b.length;
  const diff = meanA - meanB;
  const se2 = seA + seB;
  // Every seed identical on both sides: the difference is exact.
  const df = se2 === 0 ? Number.POSITIVE_INFINITY : se2 ** 2 / (seA ** 2 / (a.length - 1) + seB ** 2 / (b.length - 1));
  const half = se2 === 0 ? 0 : studentTQuantile(0.975, df) * Math.sqrt(se2);
  const low = diff - half;
  const high = diff + half;
  const verdict: Verdict = low > 0 ? "A better" : high < 0 ? "B better" : "indistinguishable at 95%";
  return { nA: a.length, nB: b.length, meanA, meanB, diff, low, high, df, verdict };
}

export const BANDS = ["minmax", "std", "se", "ci95"] as const;
export type Band = (typeof BANDS)[number];
export const BAND_LABELS: Record<Band, string> = { minmax: "min–max", std: "± std", se: "± standard error", ci95: "95% CI" };

/** The band around the mean of one point's seed values; null below n = 2. */
export function bandOf(values: readonly number[], band: Band): { lo: number; hi: number } | null {
  if (values.length < 2) return null;
  if (band === "minmax") return { lo: Math.min(...values), hi: Math.max(...values) };
  const stats = sampleStats(values);
  if (band === "ci95") return { lo: stats.ciLow!, hi: stats.ciHigh! };
  const half = band === "std" ? stats.std! : stats.std! / Math.sqrt(values.length);
  return { lo: stats.mean! - half, hi: stats.mean! + half };
}
