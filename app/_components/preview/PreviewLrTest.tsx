"use client";
/**
 * "LR range test" on the preview page: fastai's lr_find for one previewed run, in this tab on the
 * preview's backend and training subset, drawn with the builder's chart (lrTestChart) and its
 * three suggestions listed. The page holds the test (useBrowserLrTest, whose dynamic import brings
 * TensorFlow.js) so that Start, Resume and Reset of the preview stop it first.
 */
import { useState } from "react";
import type { BrowserBackendPreference } from "../../../training/backend/preferences";
import type { RunConfig } from "../../../training/config";
import type { Split } from "../../../training/data/split";
import { formatLogLr, lrTestChart, SUGGESTION_KINDS } from "../builder/lrTestChart";
import { LineChart } from "../charts/LineChart";
import { browserLrTestSettings, BROWSER_NUM_IT, lrTestStatus } from "./lrTestState";
import type { BrowserLrTestControls } from "./useBrowserLrTest";

export interface LrTestChoice {
  key: string;
  label: string;
  /** The run's preview config (its batch size, model, optimizer, seed and augmentation count). */
  config: RunConfig;
}

export function PreviewLrTest({
  test,
  choices,
  train,
  preference,
  blocked,
}: {
  test: BrowserLrTestControls;
  choices: readonly LrTestChoice[];
  /** The loaded training subset (null until the preview has loaded it). */
  train: Split | null;
  preference: BrowserBackendPreference;
  /** Why Run is off (the preview is training), or null. */
  blocked: string | null;
}) {
  const { state } = test;
  const [runKey, setRunKey] = useState<string>(() => choices[0]?.key ?? "");
  const [numIt, setNumIt] = useState(String(BROWSER_NUM_IT));
  const [message, setMessage] = useState<string | null>(null);
  const choice = choices.find((c) => c.key === runKey) ?? choices[0];
  const running = state.phase === "running";
  const tested = choices.find((c) => c.key === state.runKey)?.label ?? "the run";
  const chart = state.result && state.result.lr.length > 0 ? lrTestChart(state.result) : null;
  const status = lrTestStatus(state);

  function start() {
    const settings = browserLrTestSettings(numIt);
    if (typeof settings === "string") return setMessage(settings);
    if (!choice || !train) return setMessage("Start the preview first: the test uses its training images.");
    setMessage(null);
    test.run({ runKey: choice.key, config: choice.config, train, settings, preference });
  }

  return (
    <section aria-label="LR range test" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">LR range test</h2>
      <p className="text-sm text-slate-600">
        fastai’s lr_find in this tab: fresh weights, one step per iteration at an lr rising from 1e-7 to 10 on the preview’s training
        images; the schedule is ignored.
      </p>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Run for the LR test
          <select
            className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
            value={choice?.key ?? ""}
            disabled={running}
            onChange={(e) => setRunKey(e.target.value)}
          >
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Iterations
          <input
            className="mt-0.5 w-24 rounded border border-slate-300 px-2 py-1 text-sm"
            inputMode="numeric"
            value={numIt}
            disabled={running}
            onChange={(e) => setNumIt(e.target.value)}
          />
        </label>
        {running ? (
          <button type="button" className="btn-secondary" onClick={test.stop}>
            Stop LR test
          </button>
        ) : (
          <button type="button" className="btn-secondary" disabled={!choice || !train || blocked !== null} onClick={start}>
            Run LR test
          </button>
        )}
        {blocked && !running ? <span className="text-slate-500">{blocked}</span> : null}
      </div>
      {message ? (
        <p role="alert" className="text-sm text-red-600">
          {message}
        </p>
      ) : null}
      {status ? (
        <p role="status" className="text-sm text-slate-600" data-lr-test={state.phase}>
          {status}
        </p>
      ) : null}
      {chart && state.result ? (
        <>
          <LineChart
            title={`${tested} LR range test: loss against lr`}
            series={chart.series}
            points={chart.points}
            xLabel="learning rate (log scale)"
            formatX={formatLogLr}
            height={220}
          />
          {state.phase === "done" ? (
            <ul className="flex flex-wrap gap-3 text-sm" aria-label="Suggested learning rates">
              {SUGGESTION_KINDS.map((kind) => {
                const lr = state.result?.suggestions[kind] ?? null;
                return (
                  <li key={kind}>
                    {kind}: <span className="font-mono">{lr === null ? "none" : lr.toPrecision(3)}</span>
                  </li>
                );
              })}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
