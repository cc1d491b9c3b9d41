/** Axis maths for the SVG charts: domains, linear and log scales, tick positions and labels. */

export interface Scale {
  /** Data value → pixel. Non-positive values on a log scale give NaN (not drawable). */
  (value: number): number;
  ticks: number[];
  format: (value: number) => string;
}

/** Smallest and largest finite value (positive only when `positive`), or null when there is none. */
export function extent(values: Iterable<number>, positive = false): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positive && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** 1, 2 or 5 × a power of ten, the step that gives about `count` ticks over the span. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit >= 5 ? 10 : unit >= 2 ? 5 : unit >= 1 ? 2 : 1) * power;
}

export function compact(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(abs >= 1e5 ? 1 : 0).replace("e+", "e");
  return String(Number(value.toPrecision(3)));
}

/** Labels with just enough decimals to tell ticks `step` apart (2.290, 2.295, 2.300 — not 2.3 thrice). */
export function tickFormat(step: number, magnitude: number): (value: number) => string {
  if (magnitude >= 1e5 || step < 1e-4) {
    const digits = Math.max(1, Math.min(6, Math.ceil(Math.log10(magnitude / step)) - 1));
    return (v) => (v === 0 ? "0" : v.toExponential(digits).replace("e+", "e"));
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return (v) => v.toFixed(decimals);
}

export function linearScale(domain: [number, number], range: [number, number], tickCount = 5): Scale {
  let [d0, d1] = domain;
  if (d0 === d1) {
    // A flat line: give it room above and below.
    const pad = d0 === 0 ? 1 : Math.abs(d0) * 0.1;
    d0 -= pad;
    d1 += pad;
  }
  const step = niceStep(d1 - d0, tickCount);
  const lo = Math.floor(d0 / step) * step;
  const hi = Math.ceil(d1 / step) * step;
  const [r0, r1] = range;
  const scale = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  scale.ticks = [];
  for (let t = lo; t <= hi + step / 2; t += step) scale.ticks.push(Number(t.toPrecision(12)));
  scale.format = tickFormat(step, Math.max(Math.abs(lo), Math.abs(hi)));
  return scale;
}

/**
 * Log y: spans of several decades get whole decades; a narrow span (a loss between 2.2 and 2.4)
 * is fitted to the data, with 1-2-5 or finer ticks so the lines do not lie flat.
 */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const [r0, r1] = range;
  let lo = Math.log10(domain[0]);
  let hi = Math.log10(domain[1]);
  const wide = hi - lo >= 1;
  if (wide) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  } else {
    const pad = Math.max((hi - lo) * 0.05, 0.01);
    lo -= pad;
    hi += pad;
  }
  const scale = ((v: number) => (v > 0 ? r0 + ((Math.log10(v) - lo) / (hi - lo)) * (r1 - r0) : NaN)) as Scale;
  if (wide) {
    // At most ~6 labelled decades.
    const every = Math.max(1, Math.ceil((hi - lo) / 6));
    scale.ticks = [];
    for (let p = lo; p <= hi; p += every) scale.ticks.push(Number(`1e${p}`));
    scale.format = (v) => {
      const p = Math.round(Math.log10(v));
      return p >= -2 && p <= 3 ? compact(v) : `1e${p}`;
    };
    return scale;
  }
  // Within a decade: nice linear ticks in value space, placed on the log axis.
  const inner = linearScale([10 ** lo, 10 ** hi], [0, 1], 4);
  scale.ticks = inner.ticks.filter((t) => t > 0 && Math.log10(t) >= lo && Math.log10(t) <= hi);
  scale.format = inner.format;
  return scale;
}

/** Index of the x nearest to `target` in ascending `xs` (binary search), or -1 when empty. */
export function nearestIndex(xs: ArrayLike<number>, target: number): number {
  if (xs.length === 0) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < target) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo]! - target) <= Math.abs(xs[hi]! - target) ? lo : hi;
}
