"use client";
/** The embed's content: the comparison's charts alone (default view), live while a run is active, linking back to the full page. */
import { useMemo } from "react";
import { LineChart } from "../charts/LineChart";
import { buildCharts } from "./series";
import { useLiveComparison } from "./useLiveComparison";
import { DEFAULT_VIEW } from "./viewQuery";

export function EmbedCharts({ slug }: { slug: string }) {
  const { comparison, runs, metrics, anyActive } = useLiveComparison(slug);
  const charts = useMemo(() => buildCharts(runs, metrics, DEFAULT_VIEW), [runs, metrics]);
  if (!comparison.data) return <p className="text-slate-500">{comparison.error ? comparison.error.message : "Loading…"}</p>;
  return (
    <div className="space-y-3">
      <a className="link text-lg font-semibold" href={`/c/${slug}`} target="_blank" rel="noopener">
        {comparison.data.title} · LR Lab
      </a>
      <div className="grid gap-4 lg:grid-cols-2">
        {charts.map((chart) => (
          <LineChart
            drawOnClient
            key={chart.metric}
            title={chart.title}
            series={chart.lines}
            xLabel="epoch"
            logY={false}
            emptyMessage={anyActive ? "Waiting for the first epoch…" : "No epochs recorded."}
          />
        ))}
      </div>
    </div>
  );
}
