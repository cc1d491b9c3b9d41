/**
 * An LR test's result as chart input: loss against log10(lr) (the chart's x axis is linear, so a
 * log axis is log10 values labelled as lrs), and each suggestion marked on the smoothed curve. Pure.
 */
import type { StoredLrTestResult } from "../../../lib/lrTests";
import type { Suggestions } from "../../../training/lrFind/rangeTest";
import type { ChartSeries } from "../charts/LineChart";
import { nearestIndex } from "../charts/scale";

export const SUGGESTION_KINDS = ["valley", "steep", "minimum"] as const satisfies readonly (keyof Suggestions)[];
const SUGGESTION_COLORS: Record<keyof Suggestions, string> = { valley: "#009E73", steep: "#D55E00", minimum: "#CC79A7" };

export interface LrTestChart {
  series: ChartSeries[];
  points: { key: string; label: string; color: string; x: number; y: number }[];
}

export function lrTestChart(result: StoredLrTestResult): LrTestChart {
  const x = result.lr.map(Math.log10);
  const smooth = result.smoothLoss.map((v) => v ?? Number.NaN);
  const points = SUGGESTION_KINDS.flatMap((kind) => {
    const lr = result.suggestions[kind];
    if (lr === null) return [];
    const at = Math.log10(lr);
    const y = smooth[nearestIndex(x, at)];
    if (y === undefined || !Number.isFinite(y)) return [];
    return [{ key: kind, label: kind, color: SUGGESTION_COLORS[kind], x: at, y }];
  });
  return {
    series: [
      { key: "loss", label: "smoothed loss (raw behind)", color: "#0072B2", x, y: smooth, raw: result.loss.map((v) => v ?? Number.NaN) },
    ],
    points,
  };
}

/** Labels a log10(lr) tick as the lr itself. */
export function formatLogLr(x: number): string {
  return (10 ** x).toExponential(0);
}
