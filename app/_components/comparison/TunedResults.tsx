"use client";
/**
 * Each tuned comparison's sweep (validation accuracy against lr, log axis, the selected lr marked)
 * and its tuned result: the mean final test accuracy over the k seeds of the selected lr.
 */
import { useMemo } from "react";
import { summarizeTuning, type TuningMeta, type TuningRun } from "../../../lib/tunings";
import { LineChart } from "../charts/LineChart";
import { formatLogLr } from "../builder/lrTestChart";
import { tuningChart } from "./tuningChart";

const PHASE_TEXT: Record<TuningMeta["phase"], string> = {
  sweep: "sweeping on the validation split",
  final: "lr selected; final runs on the test set",
  failed: "failed",
};

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

function Tuning({ tuning, index, runs }: { tuning: TuningMeta; index: number; runs: readonly TuningRun[] }) {
  const summary = useMemo(() => summarizeTuning(tuning.id, runs), [tuning.id, runs]);
  const chart = useMemo(
    () => tuningChart(summary.sweep, tuning.selectedLr, tuning.epochs),
    [summary.sweep, tuning.selectedLr, tuning.epochs],
  );
  const name = `Tuning ${index + 1}`;
  const { final } = summary;
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" data-tuning={tuning.id}>
      <p className="text-sm text-slate-700">
        <span className="font-medium">{name}</span>: {tuning.n} learning rates from {tuning.lrRange[0].toPrecision(2)} to{" "}
        {tuning.lrRange[1].toPrecision(2)} (
        {tuning.rangeFrom === "lr-test" ? "a decade around the LR range test's suggestions" : "the default range"}),{" "}
        {tuning.halving ? "successive halving at ⅓ and ⅔ of the epochs, " : ""}then {tuning.k} seed{tuning.k === 1 ? "" : "s"} of the best ·{" "}
        <span data-phase={tuning.phase}>{PHASE_TEXT[tuning.phase]}</span>
        {tuning.error ? `: ${tuning.error}` : ""}
      </p>
      <LineChart
        drawOnClient
        title={`${name}: validation accuracy against lr`}
        series={chart.series}
        points={chart.points}
        markers
        xLabel="learning rate (log scale)"
        formatX={formatLogLr}
        height={220}
        emptyMessage="Waiting for the first sweep epoch…"
        exportName={`tuning-${index + 1}-sweep`}
      />
      <p className="text-sm" role="status" aria-label={`${name} result`}>
        {tuning.selectedLr === null ? (
          "Selected lr: not yet (chosen on validation accuracy when the sweep ends)."
        ) : (
          <>
            Selected lr <span className="font-mono">{tuning.selectedLr.toPrecision(3)}</span> · tuned test accuracy{" "}
            <span className="font-mono" data-tuned-result>
              {final.meanTestAcc === null ? "pending" : pct(final.meanTestAcc)}
            </span>{" "}
            (mean over {final.testAccs.length} of {tuning.k} seeds)
          </>
        )}
      </p>
    </div>
  );
}

export function TunedResults({ tunings, runs }: { tunings: readonly TuningMeta[]; runs: readonly TuningRun[] }) {
  if (tunings.length === 0) return null;
  return (
    <section aria-label="Tuned learning rates" className="space-y-3">
      <h2 className="text-lg font-semibold">Tuned learning rates</h2>
      <p className="text-xs text-slate-500">
        Each lr is trained once on the validation split (the test set is never read while choosing); the best final validation accuracy is
        re-run with k seeds on the whole training set and measured on the test set.
      </p>
      {tunings.map((tuning, i) => (
        <Tuning key={tuning.id} tuning={tuning} index={i} runs={runs} />
      ))}
    </section>
  );
}
