"use client";
/**
 * The comparison page's live part: the run table and the overlaid charts, kept up to date by
 * useLiveComparison's one poller while any run is queued or running.
 */
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { FieldIssue } from "../../../training/errors";
import { LineChart } from "../charts/LineChart";
import { BAND_LABELS, BANDS, type Band } from "../../../lib/stats/welch";
import { ComparisonActions } from "./ComparisonActions";
import { EmbedButton } from "./EmbedButton";
import { ConfigDiff } from "./ConfigDiff";
import { seedGroups } from "./differences";
import { Differences } from "./Differences";
import { RunTable } from "./RunTable";
import { TunedResults } from "./TunedResults";
import { useLiveComparison } from "./useLiveComparison";
import { useStepCurves } from "./useStepCurves";
import { buildCharts, METRICS, stepEpochBoundaries, toCsv, toJson, type XAxis } from "./series";
import { parseViewParams } from "./viewParams";
import { DEFAULT_VIEW, viewQuery, type ViewOptions } from "./viewQuery";

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.round((seconds % 3600) / 60)}m`;
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ComparisonView({ slug, signedIn }: { slug: string; signedIn: boolean }) {
  const router = useRouter();
  const [view, setView] = useState<ViewOptions>(DEFAULT_VIEW);
  const [viewIssues, setViewIssues] = useState<FieldIssue[]>([]);
  // The page is one cached HTML for every link to it, so the link's chart settings apply here, in the browser.
  useEffect(() => {
    const { options, issues } = parseViewParams(Object.fromEntries(new URLSearchParams(window.location.search)));
    setView(options);
    setViewIssues(issues);
  }, []);

  const { comparison, runs, metrics, anyActive } = useLiveComparison(slug);
  const { steps } = useStepCurves(slug, view.x === "step", anyActive);

  const charts = useMemo(() => buildCharts(runs, metrics, view, steps), [runs, metrics, view, steps]);
  const epochMarks = useMemo(() => (view.x === "step" ? stepEpochBoundaries(steps) : []), [view.x, steps]);
  const groups = useMemo(() => seedGroups(runs, metrics), [runs, metrics]);

  const changeView = (next: ViewOptions) => {
    setView(next);
    router.replace(`/c/${slug}${viewQuery(next)}`, { scroll: false });
  };

  if (comparison.error) {
    return (
      <p role="alert" className="text-red-600">
        {comparison.error.message}
      </p>
    );
  }
  if (!comparison.data) return <p className="text-slate-500">Loading…</p>;
  const data = comparison.data;
  const fileBase =
    data.title
      .replace(/[^\w.-]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "comparison";

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <div className="flex flex-wrap items-start gap-3">
          <h1 className="flex-1 text-2xl font-semibold">{data.title}</h1>
          {data.visibility !== "private" ? <EmbedButton slug={slug} title={data.title} /> : null}
          <ComparisonActions slug={slug} isOwner={data.isOwner} signedIn={signedIn} />
        </div>
        <p className="text-sm text-slate-600">
          by {data.ownerName} · <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{data.visibility}</span> · created{" "}
          {data.createdAt.toISOString().slice(0, 10)}
        </p>
        {data.description ? <p className="whitespace-pre-line text-slate-700">{data.description}</p> : null}
      </header>

      <RunTable slug={slug} runs={runs} metrics={metrics} isOwner={data.isOwner} formatDuration={formatDuration} />

      <TunedResults tunings={data.tunings} runs={runs} />

      <Differences groups={groups} />
      <ConfigDiff runs={runs} />

      <section aria-label="Charts" className="space-y-3">
        {viewIssues.length > 0 ? (
          <p role="alert" className="text-sm text-amber-700">
            Ignored link settings: {viewIssues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}
          </p>
        ) : null}
        <div className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <label className="flex flex-col text-xs font-medium text-slate-600">
            X axis
            <select
              className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
              value={view.x}
              onChange={(event) => changeView({ ...view, x: event.target.value as XAxis })}
            >
              <option value="epoch">Epoch</option>
              <option value="time">Wall-clock time</option>
              <option value="step">Step</option>
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={view.log} onChange={(event) => changeView({ ...view, log: event.target.checked })} />
            Log scale (lr and loss)
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600">
            Smoothing {view.smoothing.toFixed(2)}
            <input
              type="range"
              min={0}
              max={0.95}
              step={0.05}
              value={view.smoothing}
              onChange={(event) => changeView({ ...view, smoothing: Number(event.target.value) })}
            />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600">
            Seed band
            <select
              className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
              value={view.band ?? "minmax"}
              onChange={(event) => changeView({ ...view, band: event.target.value as Band })}
            >
              {BANDS.map((band) => (
                <option key={band} value={band}>
                  {BAND_LABELS[band]}
                </option>
              ))}
            </select>
          </label>
          <div className="ml-auto flex gap-2">
            <button type="button" className="btn-secondary" onClick={() => download(`${fileBase}.csv`, "text/csv", toCsv(charts, view))}>
              Export CSV
            </button>
            <button
              type="button"
              className="btn-secondary"
              onClick={() => download(`${fileBase}.json`, "application/json", toJson(charts, view, data.title))}
            >
              Export JSON
            </button>
          </div>
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          {charts.map((chart) => {
            const logAllowed = METRICS.find((m) => m.key === chart.metric)?.logAllowed ?? false;
            return (
              <LineChart
                drawOnClient
                key={chart.metric}
                title={chart.title}
                series={chart.lines}
                xLabel={view.x === "time" ? "training time" : view.x}
                formatX={view.x === "time" ? formatDuration : undefined}
                xMarks={epochMarks}
                logY={view.log && logAllowed}
                emptyMessage={anyActive ? "Waiting for the first epoch…" : "No epochs recorded."}
                exportName={`${fileBase}-${chart.metric}`}
              />
            );
          })}
        </div>
      </section>
    </div>
  );
}
