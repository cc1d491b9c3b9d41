/** The session's curves, one line per run with epochs, in the run's colour. */
import { useMemo } from "react";
import { LineChart } from "../charts/LineChart";
import { colorAt } from "../charts/colors";
import type { PreviewSource } from "./PreviewLab";
import type { RunProgress } from "./sessionState";

const CHARTS = [
  { key: "loss", title: "Train loss" },
  { key: "valLoss", title: "Validation loss" },
  { key: "acc", title: "Train accuracy" },
  { key: "valAcc", title: "Validation accuracy" },
] as const;

export function PreviewCharts({ sources, runs }: { sources: readonly PreviewSource[]; runs: Readonly<Record<string, RunProgress>> }) {
  const charts = useMemo(
    () =>
      CHARTS.map((chart) => ({
        ...chart,
        lines: sources
          .map((source, i) => ({ source, i }))
          .filter(({ source }) => (runs[source.key]?.epochs.length ?? 0) > 0)
          .map(({ source, i }) => {
            const epochs = runs[source.key]!.epochs;
            return {
              key: source.key,
              label: source.label,
              color: colorAt(i),
              x: epochs.map((m) => m.epoch + 1),
              y: epochs.map((m) => m[chart.key]),
            };
          }),
      })),
    [sources, runs],
  );
  return (
    <section aria-label="Preview charts" className="grid gap-4 lg:grid-cols-2">
      {charts.map((chart) => (
        <LineChart key={chart.key} title={chart.title} series={chart.lines} xLabel="epoch" emptyMessage="Waiting for the first epoch…" />
      ))}
    </section>
  );
}
