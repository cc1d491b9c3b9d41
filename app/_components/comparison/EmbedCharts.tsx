"use client";
/** The embed's content: the comparison's charts alone (default view), live while a run is active, linking back to the full page. */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "../../../trpc/react";
import { LineChart } from "../charts/LineChart";
import { ACTIVE, POLL_MS } from "./live";
import { buildCharts } from "./series";
import { DEFAULT_VIEW } from "./viewQuery";

export function EmbedCharts({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const comparison = useQuery({
    ...trpc.comparisons.bySlug.queryOptions({ slug }),
    refetchInterval: (query) => (query.state.data?.runs.some((run) => ACTIVE.has(run.status)) ? POLL_MS : false),
  });
  const anyActive = comparison.data?.runs.some((run) => ACTIVE.has(run.status)) ?? false;
  const metrics = useQuery({ ...trpc.metrics.forComparison.queryOptions({ slug }), refetchInterval: anyActive ? POLL_MS : false });
  const charts = useMemo(() => buildCharts(comparison.data?.runs ?? [], metrics.data ?? {}, DEFAULT_VIEW), [comparison.data, metrics.data]);
  if (!comparison.data) return <p className="text-slate-500">{comparison.error ? comparison.error.message : "Loading…"}</p>;
  return (
    <div className="space-y-3">
      <a className="link text-lg font-semibold" href={`/c/${slug}`} target="_blank" rel="noopener">
        {comparison.data.title} · LR Lab
      </a>
      <div className="grid gap-4 lg:grid-cols-2">
        {charts.map((chart) => (
          <LineChart
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
