/**
 * A tuning's sweep as chart input: final validation accuracy against log10(lr) (the chart's x axis
 * is linear, so a log axis is log10 values labelled as lrs), one line per number of epochs trained
 * (under successive halving a run stopped early is not compared with one trained to the end), and
 * the selected lr marked. Pure.
 */
import type { SweepPoint } from "../../../lib/tunings";
import type { ChartSeries } from "../charts/LineChart";
import { colorAt } from "../charts/colors";

export const SELECTED_COLOR = "#D55E00";

export interface TuningChart {
  series: ChartSeries[];
  points: { key: string; label: string; color: string; x: number; y: number }[];
}

export function tuningChart(sweep: readonly SweepPoint[], selectedLr: number | null, epochs: number): TuningChart {
  const scored = sweep.filter((p) => p.valAcc !== null && Number.isFinite(p.valAcc) && p.lr > 0);
  const trained = [...new Set(scored.map((p) => p.epochs))].sort((a, b) => b - a);
  const series = trained.map((e, i) => {
    const points = scored.filter((p) => p.epochs === e).sort((a, b) => a.lr - b.lr);
    return {
      key: `epochs-${e}`,
      label: e === epochs ? `trained ${e} epochs (all)` : `stopped after ${e} epochs`,
      color: colorAt(i),
      x: points.map((p) => Math.log10(p.lr)),
      y: points.map((p) => p.valAcc!),
    };
  });
  const chosen = selectedLr === null ? undefined : scored.find((p) => p.lr === selectedLr);
  const points = chosen
    ? [
        {
          key: "selected",
          label: `selected lr ${selectedLr!.toPrecision(3)}`,
          color: SELECTED_COLOR,
          x: Math.log10(chosen.lr),
          y: chosen.valAcc!,
        },
      ]
    : [];
  return { series, points };
}
