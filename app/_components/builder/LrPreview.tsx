"use client";
/** Every run's learning rate over its whole run, recomputed as the user types. */
import { useDeferredValue, useMemo, useState } from "react";
import type { RunConfig } from "../../../training/config";
import { LineChart, type ChartSeries } from "../charts/LineChart";
import { lrCurve, type LrCurve } from "./draft";

export interface PreviewRun {
  key: string;
  label: string;
  color: string;
  /** null while the run has invalid fields. */
  config: RunConfig | null;
}

// Curves are recomputed only when a run's config really changes.
const cache = new Map<string, LrCurve | null>();
function cachedCurve(config: RunConfig): LrCurve | null {
  const key = JSON.stringify(config);
  let curve = cache.get(key);
  if (curve === undefined) {
    curve = lrCurve(config);
    if (cache.size > 200) cache.clear();
    cache.set(key, curve);
  }
  return curve;
}

export function LrPreview({ runs }: { runs: readonly PreviewRun[] }) {
  const [logY, setLogY] = useState(false);
  // Typing stays responsive: the chart catches up in a background render.
  const deferred = useDeferredValue(runs);
  const series = useMemo(() => {
    const out: ChartSeries[] = [];
    for (const run of deferred) {
      const curve = run.config ? cachedCurve(run.config) : null;
      if (curve) out.push({ key: run.key, label: run.label, color: run.color, x: curve.x, y: curve.y });
    }
    return out;
  }, [deferred]);
  const invalid = deferred.filter((run) => run.config === null).length;

  return (
    <div className="space-y-2">
      <LineChart
        title="Learning rate"
        series={series}
        xLabel="epoch"
        logY={logY}
        emptyMessage="Add a run with valid settings to see its learning rate."
      />
      <div className="flex items-center justify-between text-xs text-slate-600">
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={logY} onChange={(event) => setLogY(event.target.checked)} />
          Log scale
        </label>
        {invalid > 0 ? (
          <span>
            {invalid} run{invalid === 1 ? "" : "s"} hidden until {invalid === 1 ? "its" : "their"} fields are valid
          </span>
        ) : null}
      </div>
    </div>
  );
}
