/** The session's progress: the live batch, each run's state and epochs, and attaching or queueing finished runs. */
import Link from "next/link";
import type { RunConfig } from "../../../training/config";
import type { PreviewSource } from "./PreviewLab";
import type { PreviewSessionState } from "./sessionState";

/** Storing a finished preview (the comparison owner's, on a comparison's preview page only). */
export interface RunActions {
  attach: (key: string) => void;
  queue: (key: string) => void;
  attachPending: boolean;
  queuePending: boolean;
}

export function PreviewProgress({
  state,
  sources,
  selected,
  configs,
  epochs,
  slug,
  actions,
  actionError,
}: {
  state: PreviewSessionState;
  sources: readonly PreviewSource[];
  selected: readonly string[];
  configs: ReadonlyMap<string, RunConfig | string>;
  /** Epochs of every preview run. */
  epochs: number;
  /** The comparison; null when previewing from the builder. */
  slug: string | null;
  /** null when the viewer may not store previews. */
  actions: RunActions | null;
  actionError: string | null;
}) {
  const { phase, runs, current } = state;
  const currentLive = current ? runs[current]?.live : undefined;
  const currentLabel = sources.find((s) => s.key === current)?.label;
  return (
    <section aria-label="Preview progress" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      {currentLive && current && phase === "training" ? (
        <p className="text-slate-700" data-testid="live">
          Training {currentLabel}: epoch {currentLive.epoch + 1} of {epochs}, batch {currentLive.batch} of {currentLive.batches} ·{" "}
          {Math.round(currentLive.imagesPerSec)} images/s · lr {Number(currentLive.lr.toPrecision(4))} · loss {currentLive.loss.toFixed(4)}
        </p>
      ) : (
        <p className="text-slate-700">
          {phase === "done" ? "All previews finished." : phase === "stopped" ? "Stopped. Resume continues where it stopped." : "Starting…"}
        </p>
      )}
      <ul className="space-y-2">
        {selected.map((key) => {
          const source = sources.find((s) => s.key === key)!;
          const run = runs[key] ?? { state: "waiting" as const, epochs: [] };
          const done = run.epochs.length + (run.state === "training" && run.live ? run.live.batch / run.live.batches : 0);
          const lastEpoch = run.epochs[run.epochs.length - 1];
          return (
            <li key={key} className="flex flex-wrap items-center gap-3" data-run={source.label}>
              <span className="w-64 truncate">{source.label}</span>
              <div
                className="h-2 w-40 overflow-hidden rounded bg-slate-200"
                role="progressbar"
                aria-label={`Epochs of ${source.label}`}
                aria-valuemin={0}
                aria-valuemax={epochs}
                aria-valuenow={run.epochs.length}
              >
                <div className="h-full bg-sky-600" style={{ width: `${(100 * done) / epochs}%` }} />
              </div>
              <span className="text-xs text-slate-600" data-state={run.state}>
                {run.state} · {run.epochs.length}/{epochs} epochs
                {lastEpoch
                  ? ` · val acc ${(lastEpoch.valAcc * 100).toFixed(1)}% · ${Math.round(lastEpoch.imagesPerSec)} images/s · lr ${Number(lastEpoch.lr.toPrecision(4))}`
                  : ""}
              </span>
              {run.message ? <span className="text-xs text-red-600">{run.message}</span> : null}
              {run.state === "succeeded" && actions && typeof configs.get(key) === "object" ? (
                <span className="flex gap-2">
                  {run.attached ? (
                    <span className="text-xs text-emerald-700">Attached as a preview result</span>
                  ) : (
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Attach ${source.label} to the comparison`}
                      disabled={actions.attachPending}
                      onClick={() => actions.attach(key)}
                    >
                      Attach to comparison
                    </button>
                  )}
                  {run.queued ? (
                    <span className="text-xs text-emerald-700">Queued as a full run</span>
                  ) : (
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Queue ${source.label} as a full run`}
                      disabled={actions.queuePending}
                      onClick={() => actions.queue(key)}
                    >
                      Queue full run ({source.config.epochs} epochs, all data)
                    </button>
                  )}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {actionError ? (
        <p role="alert" className="whitespace-pre-line text-red-600">
          {actionError}
        </p>
      ) : null}
      {slug && !actions ? (
        <p className="text-xs text-slate-500">Only the comparison&apos;s owner can attach previews or queue runs.</p>
      ) : null}
      {!slug ? (
        <p className="text-xs text-slate-500">Previews from the builder are not stored; queue the comparison to attach previews to it.</p>
      ) : null}
      {slug && Object.values(runs).some((r) => r.attached || r.queued) ? (
        <p className="text-sm">
          <Link className="link" href={`/c/${slug}`}>
            Back to the comparison
          </Link>
        </p>
      ) : null}
    </section>
  );
}
