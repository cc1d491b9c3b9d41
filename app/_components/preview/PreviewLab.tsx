"use client";
/**
 * "Preview in browser": trains a comparison's configs one after another on a small CIFAR-10
 * subset with TensorFlow.js in this tab (WebGL, else cpu), with the worker's own trainer, and
 * overlays the curves. TensorFlow.js is loaded here only, by a dynamic import when Start is
 * pressed. Finished previews can be attached to the comparison or queued as full runs.
 */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RunConfig } from "../../../training/config";
import type { Split } from "../../../training/data/split";
import type { EpochMetrics } from "../../../training/metrics";
import { previewConfig, PREVIEW_DEFAULTS, PREVIEW_MAX, type PreviewSize } from "../../../training/preview/config";
import { fetchSplit, prefix } from "../../../training/preview/slices";
import type { Predictions } from "../../../training/trainer/types";
import { useTRPC } from "../../../trpc/react";
import { LineChart } from "../charts/LineChart";
import { colorAt } from "../charts/colors";
import { SampleGrid } from "./SampleGrid";

export interface PreviewSource {
  key: string;
  label: string;
  /** The run's own config (full epochs, its own limits if any). */
  config: RunConfig;
}

export type DatasetStatus = { prepared: true; train: number; test: number } | { prepared: false; message: string };

type Session = typeof import("../../../training/preview/session");
type Backend = Awaited<ReturnType<Session["startBackend"]>>;

type RunState = "waiting" | "training" | "stopped" | "succeeded" | "diverged" | "failed";

interface RunProgress {
  state: RunState;
  epochs: EpochMetrics[];
  checkpoint?: Uint8Array;
  /** Live numbers of the batch just finished. */
  live?: { epoch: number; batch: number; batches: number; lr: number; loss: number; imagesPerSec: number };
  message?: string;
  attached?: string;
  queued?: boolean;
}

const SAMPLE_COUNT = 16;
const BATCH_UI_MS = 150;

const CHARTS = [
  { key: "loss", title: "Train loss" },
  { key: "valLoss", title: "Validation loss" },
  { key: "acc", title: "Train accuracy" },
  { key: "valAcc", title: "Validation accuracy" },
] as const;

function clampInt(text: string, min: number, max: number, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export function PreviewLab({
  sources,
  initialSelected,
  dataset,
  slug,
  canAttach,
}: {
  sources: readonly PreviewSource[];
  initialSelected: readonly string[];
  dataset: DatasetStatus;
  /** The comparison previews can be attached to; null when previewing from the builder. */
  slug: string | null;
  canAttach: boolean;
}) {
  const trpc = useTRPC();
  const [selected, setSelected] = useState<string[]>(() => [...initialSelected]);
  const [size, setSize] = useState<PreviewSize>(() => ({
    trainLimit: dataset.prepared ? Math.min(PREVIEW_DEFAULTS.trainLimit, dataset.train) : PREVIEW_DEFAULTS.trainLimit,
    testLimit: dataset.prepared ? Math.min(PREVIEW_DEFAULTS.testLimit, dataset.test) : PREVIEW_DEFAULTS.testLimit,
    epochs: PREVIEW_DEFAULTS.epochs,
  }));
  const [preference, setPreference] = useState<"auto" | "cpu">("auto");
  const [backend, setBackend] = useState<Backend | null>(null);
  const [renderer, setRenderer] = useState<string | null>(null);
  const [phase, setPhase] = useState<"idle" | "loading" | "training" | "stopped" | "done">("idle");
  const [loadMessage, setLoadMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, RunProgress>>({});
  const [current, setCurrent] = useState<string | null>(null);
  const [samples, setSamples] = useState<{ split: Split; predictions: Predictions | null; runKey: string | null } | null>(null);

  const abort = useRef<AbortController | null>(null);
  const data = useRef<{ train: Split; test: Split; key: string } | null>(null);
  const progressRef = useRef(progress);
  progressRef.current = progress;
  // A run's config is fixed when its session starts (sizes are locked until Reset).
  const configs = useMemo(() => {
    const out = new Map<string, RunConfig | string>();
    for (const source of sources) {
      try {
        out.set(source.key, previewConfig(source.config, size));
      } catch (e) {
        out.set(source.key, (e as Error).message);
      }
    }
    return out;
  }, [sources, size]);

  useEffect(() => () => abort.current?.abort(), []);

  const patch = useCallback((key: string, change: Partial<RunProgress> | ((old: RunProgress) => Partial<RunProgress>)) => {
    setProgress((all) => {
      const old = all[key] ?? { state: "waiting", epochs: [] };
      return { ...all, [key]: { ...old, ...(typeof change === "function" ? change(old) : change) } };
    });
  }, []);

  const started = Object.keys(progress).length > 0;
  const busy = phase === "loading" || phase === "training";

  async function loadData(): Promise<{ train: Split; test: Split }> {
    const key = `${size.trainLimit}/${size.testLimit}`;
    if (data.current?.key === key) return data.current;
    setLoadMessage("Loading CIFAR-10 images…");
    const signal = abort.current?.signal;
    const train = await fetchSplit({
      split: "train",
      count: size.trainLimit,
      signal,
      onProgress: (n) => setLoadMessage(`Loading training images… ${n} of ${size.trainLimit}`),
    });
    const test = await fetchSplit({
      split: "test",
      count: size.testLimit,
      signal,
      onProgress: (n) => setLoadMessage(`Loading test images… ${n} of ${size.testLimit}`),
    });
    data.current = { train, test, key };
    setLoadMessage(null);
    setSamples({ split: prefix(test, SAMPLE_COUNT), predictions: null, runKey: null });
    return data.current;
  }

  /** Trains every selected run that is not finished, in order, resuming a stopped one. */
  async function go() {
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    setPhase("loading");
    try {
      const session: Session = await import("../../../training/preview/session");
      const loaded = await session.startBackend(preference);
      setBackend(loaded);
      setRenderer(loaded.name === "webgl" ? session.webglRenderer() : null);
      const { train, test } = await loadData();
      const sample = prefix(test, SAMPLE_COUNT);
      setPhase("training");
      for (const key of selected) {
        const config = configs.get(key);
        const state = progressRef.current[key];
        if (state && (state.state === "succeeded" || state.state === "diverged")) continue;
        if (typeof config !== "object" || config === undefined) {
          patch(key, { state: "failed", message: typeof config === "string" ? config : "unknown run" });
          continue;
        }
        if (controller.signal.aborted) break;
        setCurrent(key);
        patch(key, { state: "training", message: undefined });
        let lastUi = 0;
        const result = await session.runPreview({
          config,
          train,
          test,
          sample,
          signal: controller.signal,
          resume: state?.checkpoint,
          onBatch: (p) => {
            const now = performance.now();
            if (now - lastUi < BATCH_UI_MS && p.batch !== p.batches) return;
            lastUi = now;
            patch(key, {
              live: { epoch: p.epoch, batch: p.batch, batches: p.batches, lr: p.lr, loss: p.loss, imagesPerSec: p.imagesPerSec },
            });
          },
          onEpoch: ({ metrics, checkpoint, predictions }) => {
            patch(key, (old) => ({ epochs: [...old.epochs, metrics], checkpoint }));
            if (predictions) setSamples({ split: sample, predictions, runKey: key });
          },
        });
        if (result.outcome === "aborted") {
          patch(key, { state: "stopped", checkpoint: result.checkpoint });
          setPhase("stopped");
          return;
        }
        patch(
          key,
          result.outcome === "diverged"
            ? { state: "diverged", message: result.reason, checkpoint: undefined }
            : { state: "succeeded", checkpoint: undefined },
        );
      }
      setPhase("done");
      setCurrent(null);
    } catch (e) {
      if (controller.signal.aborted) {
        setPhase("stopped");
        return;
      }
      setError((e as Error).message);
      setPhase(started ? "stopped" : "idle");
      setLoadMessage(null);
    }
  }

  function start() {
    setProgress(Object.fromEntries(selected.map((key) => [key, { state: "waiting" as const, epochs: [] }])));
    progressRef.current = Object.fromEntries(selected.map((key) => [key, { state: "waiting" as const, epochs: [] }]));
    void go();
  }

  function reset() {
    abort.current?.abort();
    setProgress({});
    setPhase("idle");
    setCurrent(null);
    setSamples(null);
  }

  const chartLines = useMemo(
    () =>
      CHARTS.map((chart) => ({
        ...chart,
        lines: sources
          .map((source, i) => ({ source, i }))
          .filter(({ source }) => (progress[source.key]?.epochs.length ?? 0) > 0)
          .map(({ source, i }) => {
            const epochs = progress[source.key]!.epochs;
            return {
              key: source.key,
              label: source.label,
              color: colorAt(i),
              x: epochs.map((m) => m.epoch + 1),
              y: epochs.map((m) => m[chart.key]),
            };
          }),
      })),
    [sources, progress],
  );

  const attach = useMutation(trpc.previews.attach.mutationOptions());
  const toFull = useMutation(trpc.previews.toFullRun.mutationOptions());

  if (!dataset.prepared) {
    return (
      <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
        {dataset.message}
      </p>
    );
  }

  const backendText = backend
    ? `${backend.detail}${renderer ? ` · ${renderer}` : ""}`
    : preference === "cpu"
      ? "cpu (chosen; loads when you press Start)"
      : "WebGL if available, else cpu (loads when you press Start)";
  const fallbackText =
    backend && backend.name !== "webgl" && backend.fallbacks.length > 0
      ? `WebGL is not available in this browser, so the preview runs on the much slower cpu backend (${backend.fallbacks.join("; ")}).`
      : null;
  const currentLive = current ? progress[current]?.live : undefined;
  const currentLabel = sources.find((s) => s.key === current)?.label;

  return (
    <div className="space-y-4">
      <section aria-label="Preview settings" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[1fr_auto]">
        <div className="space-y-3">
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-slate-600">Runs to preview (trained one after another)</legend>
            <ul className="space-y-1 text-sm">
              {sources.map((source, i) => {
                const config = configs.get(source.key);
                return (
                  <li key={source.key} className="flex items-center gap-2">
                    <input
                      id={`pick-${source.key}`}
                      type="checkbox"
                      disabled={started}
                      checked={selected.includes(source.key)}
                      onChange={(event) =>
                        setSelected((list) =>
                          event.target.checked
                            ? sources.map((s) => s.key).filter((k) => k === source.key || list.includes(k))
                            : list.filter((k) => k !== source.key),
                        )
                      }
                    />
                    <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: colorAt(i) }} aria-hidden="true" />
                    <label htmlFor={`pick-${source.key}`}>{source.label}</label>
                    {typeof config === "string" ? <span className="text-xs text-red-600">{config}</span> : null}
                  </li>
                );
              })}
            </ul>
          </fieldset>
          <div className="flex flex-wrap gap-3">
            {(
              [
                ["trainLimit", "Training images", 1, Math.min(PREVIEW_MAX.trainLimit, dataset.train)],
                ["testLimit", "Test images", 1, Math.min(PREVIEW_MAX.testLimit, dataset.test)],
                ["epochs", "Epochs", 1, PREVIEW_MAX.epochs],
              ] as const
            ).map(([field, label, min, max]) => (
              <label key={field} className="flex w-36 flex-col text-xs font-medium text-slate-600">
                {label}
                <input
                  type="number"
                  min={min}
                  max={max}
                  disabled={started}
                  className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
                  value={size[field]}
                  onChange={(event) => setSize((s) => ({ ...s, [field]: clampInt(event.target.value, min, max, s[field]) }))}
                />
              </label>
            ))}
            <label className="flex w-48 flex-col text-xs font-medium text-slate-600">
              Backend choice
              <select
                className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
                disabled={started}
                value={preference}
                onChange={(event) => setPreference(event.target.value as "auto" | "cpu")}
              >
                <option value="auto">WebGL (cpu if unavailable)</option>
                <option value="cpu">cpu only</option>
              </select>
            </label>
          </div>
          <p className="text-xs text-slate-500">
            The first {size.trainLimit} training and {size.testLimit} test images (class-balanced), {size.epochs} epoch
            {size.epochs === 1 ? "" : "s"}; the schedule is stretched over these epochs. Same model, optimizer, schedule and trainer as the
            server&apos;s worker.
          </p>
        </div>
        <div className="flex flex-col items-stretch gap-2 md:w-56">
          {phase === "idle" ? (
            <button type="button" className="btn-primary" disabled={selected.length === 0} onClick={start}>
              Start preview
            </button>
          ) : null}
          {busy ? (
            <button type="button" className="btn-danger" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          ) : null}
          {phase === "stopped" ? (
            <button type="button" className="btn-primary" onClick={() => void go()}>
              Resume
            </button>
          ) : null}
          {started && !busy ? (
            <button type="button" className="btn-secondary" onClick={reset}>
              Reset
            </button>
          ) : null}
          <p className="text-sm" data-testid="backend">
            <span className="font-medium">Backend:</span> <span data-backend={backend?.name ?? ""}>{backendText}</span>
          </p>
          {fallbackText ? (
            <p role="status" className="text-xs text-amber-700">
              {fallbackText}
            </p>
          ) : null}
        </div>
      </section>

      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {loadMessage ? <p className="text-sm text-slate-600">{loadMessage}</p> : null}

      {started ? (
        <section aria-label="Preview progress" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          {currentLive && current && phase === "training" ? (
            <p className="text-slate-700" data-testid="live">
              Training {currentLabel}: epoch {currentLive.epoch + 1} of {size.epochs}, batch {currentLive.batch} of {currentLive.batches} ·{" "}
              {Math.round(currentLive.imagesPerSec)} images/s · lr {Number(currentLive.lr.toPrecision(4))} · loss{" "}
              {currentLive.loss.toFixed(4)}
            </p>
          ) : (
            <p className="text-slate-700">
              {phase === "done"
                ? "All previews finished."
                : phase === "stopped"
                  ? "Stopped. Resume continues where it stopped."
                  : "Starting…"}
            </p>
          )}
          <ul className="space-y-2">
            {selected.map((key) => {
              const source = sources.find((s) => s.key === key)!;
              const run = progress[key] ?? { state: "waiting" as const, epochs: [] };
              const done = run.epochs.length + (run.state === "training" && run.live ? run.live.batch / run.live.batches : 0);
              const lastEpoch = run.epochs[run.epochs.length - 1];
              const config = configs.get(key);
              return (
                <li key={key} className="flex flex-wrap items-center gap-3" data-run={source.label}>
                  <span className="w-64 truncate">{source.label}</span>
                  <div
                    className="h-2 w-40 overflow-hidden rounded bg-slate-200"
                    role="progressbar"
                    aria-label={`Epochs of ${source.label}`}
                    aria-valuemin={0}
                    aria-valuemax={size.epochs}
                    aria-valuenow={run.epochs.length}
                  >
                    <div className="h-full bg-sky-600" style={{ width: `${(100 * done) / size.epochs}%` }} />
                  </div>
                  <span className="text-xs text-slate-600" data-state={run.state}>
                    {run.state} · {run.epochs.length}/{size.epochs} epochs
                    {lastEpoch
                      ? ` · val acc ${(lastEpoch.valAcc * 100).toFixed(1)}% · ${Math.round(lastEpoch.imagesPerSec)} images/s · lr ${Number(lastEpoch.lr.toPrecision(4))}`
                      : ""}
                  </span>
                  {run.message ? <span className="text-xs text-red-600">{run.message}</span> : null}
                  {run.state === "succeeded" && slug && canAttach && typeof config === "object" ? (
                    <span className="flex gap-2">
                      {run.attached ? (
                        <span className="text-xs text-emerald-700">Attached as a preview result</span>
                      ) : (
                        <button
                          type="button"
                          className="btn-secondary"
                          aria-label={`Attach ${source.label} to the comparison`}
                          disabled={attach.isPending}
                          onClick={() =>
                            attach.mutate(
                              { slug, config, metrics: run.epochs, backend: backend?.detail ?? "unknown" },
                              { onSuccess: ({ runId }) => patch(key, { attached: runId }) },
                            )
                          }
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
                          disabled={toFull.isPending}
                          onClick={() =>
                            toFull.mutate({ slug, config, epochs: source.config.epochs }, { onSuccess: () => patch(key, { queued: true }) })
                          }
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
          {attach.error || toFull.error ? (
            <p role="alert" className="whitespace-pre-line text-red-600">
              {(attach.error ?? toFull.error)!.message}
            </p>
          ) : null}
          {slug && !canAttach ? (
            <p className="text-xs text-slate-500">Only the comparison&apos;s owner can attach previews or queue runs.</p>
          ) : null}
          {!slug ? (
            <p className="text-xs text-slate-500">
              Previews from the builder are not stored; queue the comparison to attach previews to it.
            </p>
          ) : null}
          {slug && Object.values(progress).some((r) => r.attached || r.queued) ? (
            <p className="text-sm">
              <Link className="link" href={`/c/${slug}`}>
                Back to the comparison
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {started ? (
        <section aria-label="Preview charts" className="grid gap-4 lg:grid-cols-2">
          {chartLines.map((chart) => (
            <LineChart
              key={chart.key}
              title={chart.title}
              series={chart.lines}
              xLabel="epoch"
              emptyMessage="Waiting for the first epoch…"
            />
          ))}
        </section>
      ) : null}

      {samples ? (
        <SampleGrid
          split={samples.split}
          predictions={samples.predictions}
          title={
            samples.runKey
              ? `Test images, as ${sources.find((s) => s.key === samples.runKey)?.label ?? "the model"} labels them after its latest epoch`
              : "Test images"
          }
        />
      ) : null}
    </div>
  );
}
