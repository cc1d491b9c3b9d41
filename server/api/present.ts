/** What the procedures send to the browser: rows reshaped for tables and charts. */
import type { Comparison, EpochMetricsRow, Run, TuningRow } from "../../db/schema";
import { runConfigSchema, type RunConfig } from "../../training/config";
import { describeOptimizer } from "../../training/optimizers/spec";
import { describeSchedule } from "../../training/schedules/describe";
import { labelsByConfig } from "../../lib/labels";
import type { TuningMeta } from "../../lib/tunings";

/** Stored configs were parsed on the way in; parsing again types them (and fills new defaults). */
export function storedConfig(run: Pick<Run, "config">): RunConfig {
  return runConfigSchema.parse(run.config);
}

export function presentRuns(rows: readonly Run[]) {
  const configs = rows.map(storedConfig);
  // Preview results (trained in a browser on a subset) are labelled and grouped apart from full runs.
  const labelsOf = (kind: Run["kind"]) =>
    labelsByConfig(rows.flatMap((run, i) => (run.kind === kind ? [{ key: run.configHash, config: configs[i]! }] : [])));
  const labels = { full: labelsOf("full"), preview: labelsOf("preview") };
  return rows.map((run, i) => {
    const config = configs[i]!;
    const preview = run.kind === "preview";
    return {
      id: run.id,
      label: preview ? `${labels.preview.get(run.configHash)!} (preview)` : labels.full.get(run.configHash)!,
      /** 'preview': a browser preview attached to the comparison; never queued, never ranked. */
      kind: run.kind,
      /** Runs that differ only in seed share it: the charts draw them as one line with a band. */
      group: preview ? `preview:${run.configHash}` : run.configHash,
      seed: run.seed,
      optimizer: describeOptimizer(config.optimizer),
      schedule: describeSchedule(config.schedule),
      config,
      status: run.status,
      epochsCompleted: run.epochsCompleted,
      totalEpochs: run.totalEpochs,
      bestValAcc: run.bestValAcc,
      finalValAcc: run.finalValAcc,
      finalValLoss: run.finalValLoss,
      trainSeconds: run.trainSeconds,
      error: run.error,
      reused: run.reusedFrom !== null,
      /** A tuned comparison's lr sweep run (validation only) or final run; null for a plain run. */
      tuningRole: run.tuningRole,
      tuningId: run.tuningId,
      /** The numerics that produced it (training/version); null before it was first claimed, or for runs from before versions. */
      trainerVersion: run.trainerVersion,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
    };
  });
}
export type PresentedRun = ReturnType<typeof presentRuns>[number];

export function presentComparison(comparison: Comparison, ownerName: string | null, viewerId: string | null) {
  return {
    slug: comparison.shareSlug,
    title: comparison.title,
    description: comparison.description,
    visibility: comparison.visibility,
    createdAt: comparison.createdAt,
    ownerName: ownerName ?? "unknown",
    isOwner: viewerId === comparison.owner,
  };
}

/** Per-run metric columns (one entry per completed epoch, in order): compact for polling. */
export function metricColumns(rows: readonly EpochMetricsRow[]) {
  const columns = {
    epoch: [] as number[],
    lr: [] as number[],
    loss: [] as number[],
    acc: [] as number[],
    valLoss: [] as number[],
    valAcc: [] as number[],
    /** NaN for epochs recorded before test metrics were kept apart. */
    testLoss: [] as number[],
    testAcc: [] as number[],
    seconds: [] as number[],
    imagesPerSec: [] as number[],
  };
  for (const row of rows) {
    columns.epoch.push(row.epoch);
    columns.lr.push(row.lr);
    columns.loss.push(row.loss);
    columns.acc.push(row.acc);
    columns.valLoss.push(row.valLoss);
    columns.valAcc.push(row.valAcc);
    columns.testLoss.push(row.testLoss ?? Number.NaN);
    columns.testAcc.push(row.testAcc ?? Number.NaN);
    columns.seconds.push(row.seconds);
    columns.imagesPerSec.push(row.imagesPerSec);
  }
  return columns;
}
export type MetricColumns = ReturnType<typeof metricColumns>;

/**
 * A comparison's tunings: their settings and decisions. Their sweep points and result come from
 * the (live) runs, by lib/tunings.ts. Nothing personal: no owner, no LR test id.
 */
export function presentTunings(tunings: readonly TuningRow[]): TuningMeta[] {
  return tunings.map((tuning) => ({
    id: tuning.id,
    n: tuning.n,
    k: tuning.k,
    halving: tuning.halving,
    epochs: storedConfig({ config: tuning.baseConfig }).epochs,
    lrRange: [tuning.lrLow, tuning.lrHigh] as [number, number],
    rangeFrom: tuning.lrTestId === null ? "default" : "lr-test",
    phase: tuning.phase,
    selectedLr: tuning.selectedLr,
    error: tuning.error,
  }));
}
