/**
 * The leaderboard's statistics over seeds: mean, sample standard deviation (n − 1), and the 95%
 * Student t interval mean ± t(0.975, n − 1) · s / √n. The t quantile inverts the exact t CDF
 * (through the regularized incomplete beta function) by bisection, so it holds for every df.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

const quantileCache = new Map<string, number>();

/** The t value with P(T ≤ t) = p, for 0.5 ≤ p < 1 (bisection on the exact CDF, to ~1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0.5 && p < 1)) throw new RangeError(`studentTQuantile: need df > 0 and 0.5 ≤ p < 1, got df=${df}, p=${p}`);
  const key = `${p}:${df}`;
  const cached = quantileCache.get(key);
  if (cached !== undefined) return cached;
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  const value = (lo + hi) / 2;
  quantileCache.set(key, value);
  return value;
}

export interface SampleStats {
  n: number;
  mean: number | null;
  /** Sample standard deviation (divides by n − 1); null below n = 2. */
  std: number | null;
  /** 95% Student t interval; null below n = 2 (one seed says nothing about seed noise). */
  ciLow: number | null;
  ciHigh: number | null;
}

export function sampleStats(values: readonly number[]): SampleStats {
  const n = values.length;
  if (n === 0) return { n, mean: null, std: null, ciLow: null, ciHigh: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, std: null, ciLow: null, ciHigh: null };
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(0.975, n - 1) * (std / Math.sqrt(n));
  return { n, mean, std, ciLow: mean - half, ciHigh: mean + half };
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export interface Interval {
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * "Statistically tied with the leader": both have 95% intervals and they overlap. Overlap is the
 * conservative reading (non-overlap implies a significant difference; overlap does not prove
 * equality), which is what the page says next to the mark.
 */
export function tiedWith(leader: Interval, row: Interval): boolean {
  if (leader.ciLow === null || leader.ciHigh === null || row.ciLow === null || row.ciHigh === null) return false;
  return row.ciHigh >= leader.ciLow && row.ciLow <= leader.ciHigh;
}
