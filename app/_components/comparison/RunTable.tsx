"use client";
/** The runs: what each is, where it stands (epoch k of n, images/s, ETA), how it did; owner controls. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import type { MetricColumns, PresentedRun } from "../../../server/api/present";
import { useTRPC } from "../../../trpc/react";
import { AddSeedsButton } from "../leaderboard/AddSeedsButton";

const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? "–" : `${(v * 100).toFixed(1)}%`);

const STATUS_STYLE: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  diverged: "bg-amber-100 text-amber-800",
  canceled: "bg-slate-200 text-slate-600",
};

function Progress({
  run,
  columns,
  formatDuration,
}: {
  run: PresentedRun;
  columns: MetricColumns | undefined;
  formatDuration: (s: number) => string;
}) {
  if (run.status !== "running") return null;
  const done = run.epochsCompleted;
  const seconds = columns?.seconds ?? [];
  const perEpoch = seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : null;
  const imagesPerSec = columns?.imagesPerSec[columns.imagesPerSec.length - 1];
  const parts = [`epoch ${Math.min(done + 1, run.totalEpochs)} of ${run.totalEpochs}`];
  if (imagesPerSec !== undefined) parts.push(`${Math.round(imagesPerSec)} img/s`);
  if (perEpoch !== null) parts.push(`ETA ${formatDuration(perEpoch * (run.totalEpochs - done))}`);
  return (
    <div className="mt-1 space-y-0.5">
      <div
        className="h-1.5 w-32 overflow-hidden rounded bg-slate-200"
        role="progressbar"
        aria-label="Epochs completed"
        aria-valuemin={0}
        aria-valuemax={run.totalEpochs}
        aria-valuenow={done}
      >
        <div className="h-full bg-sky-600" style={{ width: `${(100 * done) / run.totalEpochs}%` }} />
      </div>
      <div className="text-xs text-slate-500">{parts.join(" · ")}</div>
    </div>
  );
}

export function RunTable({
  slug,
  runs,
  metrics,
  isOwner,
  formatDuration,
}: {
  slug: string;
  runs: readonly PresentedRun[];
  metrics: Readonly<Record<string, MetricColumns>>;
  isOwner: boolean;
  formatDuration: (s: number) => string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.comparisons.bySlug.queryKey({ slug }) });
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onSettled: refresh }));
  const rerun = useMutation(trpc.runs.rerun.mutationOptions({ onSettled: refresh }));
  const error = cancel.error ?? rerun.error;

  return (
    <section aria-label="Runs" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      {error ? (
        <p role="alert" className="p-2 text-sm text-red-600">
          {error.message}
        </p>
      ) : null}
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
          <tr>
            <th className="px-3 py-2 font-medium">Run</th>
            <th className="px-3 py-2 font-medium">Optimizer</th>
            <th className="px-3 py-2 font-medium">Schedule</th>
            <th className="px-3 py-2 font-medium">Status</th>
            <th className="px-3 py-2 text-right font-medium">Best val acc</th>
            <th className="px-3 py-2 text-right font-medium">Final val acc</th>
            {isOwner ? <th className="px-3 py-2 font-medium">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const name = `${run.label}, seed ${run.seed}`;
            return (
              <tr key={run.id} className="border-b border-slate-100 align-top last:border-0">
                <td className="px-3 py-2">
                  <Link className="link" href={`/c/${slug}/runs/${run.id}`}>
                    {run.label}
                  </Link>
                  <div className="text-xs text-slate-500">
                    seed {run.seed} · {run.config.epochs} epochs · batch {run.config.batchSize}
                    {run.tuningRole === "sweep" ? (
                      <span title="An lr sweep run: validation split only, never the test set"> · lr sweep</span>
                    ) : null}
                    {run.tuningRole === "final" ? <span title="A final run of the lr chosen on validation"> · tuned final</span> : null}
                    {run.trainerVersion ? (
                      <span title="Trainer version: the numerics that produced this run"> · {run.trainerVersion}</span>
                    ) : null}
                  </div>
                  {run.kind === "full" ? (
                    <Link className="link text-xs" href={`/c/${slug}/preview?run=${run.id}`} aria-label={`Preview ${name} in browser`}>
                      Preview in browser
                    </Link>
                  ) : null}
                </td>
                <td className="px-3 py-2">{run.optimizer}</td>
                <td className="px-3 py-2">{run.schedule}</td>
                <td className="px-3 py-2">
                  <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_STYLE[run.status] ?? ""}`} data-status={run.status}>
                    {run.status}
                  </span>
                  {run.reused ? <span className="ml-1 text-xs text-slate-500">(reused result)</span> : null}
                  {run.kind === "preview" ? (
                    <span
                      className="ml-1 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-800"
                      title="Trained in a browser on a subset; not on the leaderboard"
                    >
                      preview
                    </span>
                  ) : null}
                  <Progress run={run} columns={metrics[run.id]} formatDuration={formatDuration} />
                  {run.error ? (
                    <div className="mt-1 max-w-xs truncate text-xs text-red-600" title={run.error}>
                      {run.error}
                    </div>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-right font-mono tabular-nums">{pct(run.bestValAcc)}</td>
                <td className="px-3 py-2 text-right font-mono tabular-nums">{pct(run.finalValAcc)}</td>
                {isOwner ? (
                  <td className="px-3 py-2">
                    {run.status === "queued" || run.status === "running" ? (
                      <button
                        type="button"
                        className="btn-secondary"
                        aria-label={`Cancel ${name}`}
                        disabled={cancel.isPending}
                        onClick={() => cancel.mutate({ runId: run.id })}
                      >
                        Cancel
                      </button>
                    ) : run.kind === "preview" ? null : (
                      <button
                        type="button"
                        className="btn-secondary"
                        aria-label={`Re-run ${name}`}
                        disabled={rerun.isPending}
                        onClick={() => rerun.mutate({ runId: run.id })}
                      >
                        Re-run
                      </button>
                    )}
                    {run.kind === "full" ? <AddSeedsButton slug={slug} runId={run.id} name={name} /> : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
