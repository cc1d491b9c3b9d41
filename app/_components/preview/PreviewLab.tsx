"use client";
/**
 * "Preview in browser": trains a comparison's configs one after another on a small CIFAR-10
 * subset with TensorFlow.js in this tab (WebGL, else cpu), with the worker's own trainer, and
 * overlays the curves. TensorFlow.js is loaded only when Start is pressed (see usePreviewSession,
 * whose reducer in sessionState.ts holds the session). Finished previews can be attached to the
 * comparison or queued as full runs.
 */
import { useMutation } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { RunConfig } from "../../../training/config";
import { previewConfig, PREVIEW_DEFAULTS, type PreviewSize } from "../../../training/preview/config";
import { useTRPC } from "../../../trpc/react";
import { PreviewCharts } from "./PreviewCharts";
import { PreviewControls } from "./PreviewControls";
import { PreviewLrTest } from "./PreviewLrTest";
import { PreviewProgress, type RunActions } from "./PreviewProgress";
import { PreviewSettings, type BackendChoice } from "./PreviewSettings";
import { SampleGrid } from "./SampleGrid";
import { isBusy, isStarted } from "./sessionState";
import { useBrowserLrTest } from "./useBrowserLrTest";
import { usePreviewSession } from "./usePreviewSession";

export interface PreviewSource {
  key: string;
  label: string;
  /** The run's own config (full epochs, its own limits if any). */
  config: RunConfig;
}

/** `url`: an exported slice set to load from (LRLAB_DATASET_URL) instead of /api/cifar. */
export type DatasetStatus = { prepared: true; train: number; test: number; url?: string } | { prepared: false; message: string };

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
  const [preference, setPreference] = useState<BackendChoice>("auto");
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
  const session = usePreviewSession({ selected, configs, size, preference, datasetUrl: dataset.prepared ? dataset.url : undefined });
  const { state } = session;
  const lrTest = useBrowserLrTest();

  const attach = useMutation(trpc.previews.attach.mutationOptions());
  const toFull = useMutation(trpc.previews.toFullRun.mutationOptions());

  if (!dataset.prepared) {
    return (
      <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
        {dataset.message}
      </p>
    );
  }

  const started = isStarted(state);
  const actions: RunActions | null =
    slug && canAttach
      ? {
          attach: (key) => {
            const config = configs.get(key);
            const run = state.runs[key];
            if (typeof config !== "object" || !run) return;
            attach.mutate(
              { slug, config, metrics: run.epochs, backend: state.backend?.detail ?? "unknown" },
              { onSuccess: ({ runId }) => session.attached(key, runId) },
            );
          },
          queue: (key) => {
            const config = configs.get(key);
            const source = sources.find((s) => s.key === key);
            if (typeof config !== "object" || !source) return;
            toFull.mutate({ slug, config, epochs: source.config.epochs }, { onSuccess: () => session.queued(key) });
          },
          attachPending: attach.isPending,
          queuePending: toFull.isPending,
        }
      : null;

  return (
    <div className="space-y-4">
      <section aria-label="Preview settings" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[1fr_auto]">
        <PreviewSettings
          sources={sources}
          configs={configs}
          dataset={dataset}
          locked={started}
          selected={selected}
          onSelected={setSelected}
          size={size}
          onSize={setSize}
          preference={preference}
          onPreference={setPreference}
        />
        <PreviewControls
          state={state}
          preference={preference}
          canStart={selected.length > 0}
          // The LR test and a preview would share one backend: a preview stops the test first.
          onStart={() => {
            lrTest.stop();
            session.start();
          }}
          onStop={session.stop}
          onResume={() => {
            lrTest.stop();
            session.resume();
          }}
          onReset={() => {
            lrTest.stop();
            session.reset();
          }}
        />
      </section>

      {state.error ? (
        <p role="alert" className="text-sm text-red-600">
          {state.error}
        </p>
      ) : null}
      {state.loadMessage ? <p className="text-sm text-slate-600">{state.loadMessage}</p> : null}

      {started ? (
        <PreviewProgress
          state={state}
          sources={sources}
          selected={selected}
          configs={configs}
          epochs={size.epochs}
          slug={slug}
          actions={actions}
          actionError={(attach.error ?? toFull.error)?.message ?? null}
        />
      ) : null}

      {started ? <PreviewCharts sources={sources} runs={state.runs} /> : null}

      {started ? (
        <PreviewLrTest
          test={lrTest}
          choices={Object.keys(state.runs).flatMap((key) => {
            const config = configs.get(key);
            return typeof config === "object" ? [{ key, label: sources.find((s) => s.key === key)?.label ?? key, config }] : [];
          })}
          train={session.trainSplit()}
          preference={preference}
          blocked={isBusy(state) ? "Stop the preview to run the LR test." : null}
        />
      ) : null}

      {state.samples ? (
        <SampleGrid
          split={state.samples.split}
          predictions={state.samples.predictions}
          title={
            state.samples.runKey
              ? `Test images, as ${sources.find((s) => s.key === state.samples?.runKey)?.label ?? "the model"} labels them after its latest epoch`
              : "Test images"
          }
        />
      ) : null}
    </div>
  );
}
