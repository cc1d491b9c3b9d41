"use client";
/**
 * "Find LR" for one run draft: queues an LR range test (fastai's lr_find) on a worker for the draft's
 * model, optimizer, batch size and data, polls it, draws loss against lr with the three suggestions,
 * and "Use" writes a suggestion into the schedule's main lr.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { RunDraftInput } from "../../../lib/schemas";
import type { ScheduleInput } from "../../../training/schedules/spec";
import { useTRPC } from "../../../trpc/react";
import { LineChart } from "../charts/LineChart";
import { applyLr, MAIN_LR_FIELD } from "./applyLr";
import { formatLogLr, lrTestChart, SUGGESTION_KINDS } from "./lrTestChart";

const POLL_MS = 1_000;
const ACTIVE = new Set(["queued", "running"]);

interface Props {
  runNumber: number;
  config: RunDraftInput["config"];
  seed: number;
  onUse: (schedule: ScheduleInput) => void;
}

export function FindLr({ runNumber, config, seed, onUse }: Props) {
  const trpc = useTRPC();
  const [testId, setTestId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const queue = useMutation(
    trpc.lrTests.queue.mutationOptions({
      onSuccess: ({ testId: id }) => {
        setTestId(id);
        setMessage(null);
      },
      onError: (error) => setMessage(error.message),
    }),
  );
  const cancel = useMutation(trpc.lrTests.cancel.mutationOptions({ onError: (error) => setMessage(error.message) }));
  const test = useQuery({
    ...trpc.lrTests.get.queryOptions({ testId: testId ?? "" }),
    enabled: testId !== null,
    refetchInterval: (query) => (query.state.data && !ACTIVE.has(query.state.data.status) ? false : POLL_MS),
  });
  const data = testId ? test.data : undefined;
  const active = data ? ACTIVE.has(data.status) : queue.isPending;
  const lrField = MAIN_LR_FIELD[config.schedule.kind];
  const chart = data?.result ? lrTestChart(data.result) : null;

  return (
    <div className="space-y-2" aria-label={`LR range test for run ${runNumber}`} role="group">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <button type="button" className="btn-secondary" disabled={active} onClick={() => queue.mutate({ config: { ...config, seed } })}>
          Find LR
        </button>
        {data && testId && active ? (
          <button type="button" className="btn-secondary" onClick={() => cancel.mutate({ testId })}>
            Cancel LR test
          </button>
        ) : null}
        {data ? (
          <span className="text-slate-600" role="status">
            LR test {data.status}
            {data.status === "succeeded" && data.result?.stoppedEarly ? " (stopped early: the loss diverged)" : ""}
            {data.error ? `: ${data.error}` : ""}
          </span>
        ) : null}
        {message ? (
          <span className="text-red-600" role="alert">
            {message}
          </span>
        ) : null}
      </div>
      {chart && data?.result ? (
        <>
          <LineChart
            title={`Run ${runNumber} LR range test: loss against lr`}
            series={chart.series}
            points={chart.points}
            xLabel="learning rate (log scale)"
            formatX={formatLogLr}
            height={220}
          />
          <ul className="flex flex-wrap gap-3 text-sm" aria-label={`Suggested learning rates for run ${runNumber}`}>
            {SUGGESTION_KINDS.map((kind) => {
              const lr = data.result?.suggestions[kind] ?? null;
              return (
                <li key={kind} className="flex items-center gap-1.5">
                  <span>
                    {kind}: <span className="font-mono">{lr === null ? "none" : lr.toPrecision(3)}</span>
                  </span>
                  {lr !== null && typeof lrField === "string" ? (
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Use ${kind} lr ${lr.toPrecision(3)} for run ${runNumber}`}
                      // Three significant digits: the suggestion is a rough point on a noisy curve.
                      onClick={() => {
                        const next = applyLr(config.schedule, Number(lr.toPrecision(3)));
                        if ("schedule" in next) onUse(next.schedule);
                      }}
                    >
                      Use
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {typeof lrField === "object" ? <p className="text-xs text-slate-500">“Use” is off: {lrField.none}.</p> : null}
        </>
      ) : null}
    </div>
  );
}
