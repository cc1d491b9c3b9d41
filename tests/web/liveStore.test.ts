/** The live page's merged store (app/_components/comparison/liveStore.ts), against hand-built polls. */
import { describe, expect, it } from "vitest";
import {
  applyPoll,
  applyStepsPoll,
  EMPTY_STEP_STORE,
  EMPTY_STORE,
  seedStore,
  unknownRuns,
  withRuns,
} from "../../app/_components/comparison/liveStore";
import type { LiveColumns, LivePoll, LiveRunState } from "../../server/api/liveSince";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const C = "00000000-0000-4000-8000-00000000000c";

function state(id: string, status: LiveRunState["status"], epochsCompleted: number): LiveRunState {
  return {
    id,
    status,
    epochsCompleted,
    totalEpochs: 5,
    bestValAcc: null,
    finalValAcc: null,
    finalValLoss: null,
    trainSeconds: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    trainerVersion: null,
  };
}

/** Columns for the given epochs, each value tagged with its epoch so merges can be read back. */
function rows(epochs: number[], reset = false): LiveColumns & { reset: boolean } {
  const col = (scale: number) => epochs.map((e) => e * scale);
  return {
    epoch: epochs,
    lr: col(1),
    loss: col(2),
    acc: col(3),
    valLoss: col(4),
    valAcc: col(5),
    testLoss: col(6),
    testAcc: col(7),
    seconds: col(8),
    imagesPerSec: col(9),
    lrMin: col(10),
    lrMax: col(11),
    reset,
  };
}

function poll(parts: Partial<LivePoll>): LivePoll {
  return { runs: [], metrics: {}, cursor: {}, ...parts };
}

describe("live store", () => {
  it("starts each listed run empty at cursor 0", () => {
    const store = withRuns(EMPTY_STORE, [A, B]);
    expect(store.cursor).toEqual({ [A]: 0, [B]: 0 });
    expect(store.metrics[A]!.epoch).toEqual([]);
    expect(store.states).toEqual({});
  });

  it("appends rows to what a run holds, column by column, and takes the new cursor and states", () => {
    let store = withRuns(EMPTY_STORE, [A, B]);
    store = applyPoll(
      store,
      poll({ runs: [state(A, "running", 2), state(B, "queued", 0)], metrics: { [A]: rows([0, 1]) }, cursor: { [A]: 2, [B]: 0 } }),
    );
    store = applyPoll(
      store,
      poll({
        runs: [state(A, "succeeded", 3), state(B, "running", 1)],
        metrics: { [A]: rows([2]), [B]: rows([0]) },
        cursor: { [A]: 3, [B]: 1 },
      }),
    );
    expect(store.metrics[A]!.epoch).toEqual([0, 1, 2]);
    expect(store.metrics[A]!.valAcc).toEqual([0, 5, 10]);
    expect(store.metrics[A]!.lrMax).toEqual([0, 11, 22]);
    expect(store.metrics[B]!.epoch).toEqual([0]);
    expect(store.cursor).toEqual({ [A]: 3, [B]: 1 });
    expect(store.states[A]!.status).toBe("succeeded");
    expect(store.states[B]!.epochsCompleted).toBe(1);
  });

  it("replaces a re-run's rows instead of appending them", () => {
    let store = withRuns(EMPTY_STORE, [A]);
    store = applyPoll(store, poll({ metrics: { [A]: rows([0, 1, 2, 3]) }, cursor: { [A]: 4 } }));
    store = applyPoll(store, poll({ runs: [state(A, "running", 1)], metrics: { [A]: rows([0], true) }, cursor: { [A]: 1 } }));
    expect(store.metrics[A]!.epoch).toEqual([0]);
    expect(store.metrics[A]!.loss).toEqual([0]);
    expect(store.cursor).toEqual({ [A]: 1 });
  });

  it("ignores runs it does not list, and reports them so the run list can be reloaded", () => {
    const store = withRuns(EMPTY_STORE, [A]);
    const p = poll({
      runs: [state(A, "running", 1), state(C, "queued", 0)],
      metrics: { [A]: rows([0]), [C]: rows([0]) },
      cursor: { [A]: 1, [C]: 1 },
    });
    const next = applyPoll(store, p);
    expect(Object.keys(next.metrics)).toEqual([A]);
    expect(Object.keys(next.states)).toEqual([A]);
    expect(next.cursor).toEqual({ [A]: 1 });
    expect(unknownRuns(store, p)).toEqual([C]);
    // Once listed, the run starts from 0 and the next poll sends it whole.
    expect(withRuns(next, [A, C]).cursor).toEqual({ [A]: 1, [C]: 0 });
  });

  it("keeps held rows when the run list is reloaded, and drops runs no longer listed", () => {
    let store = withRuns(EMPTY_STORE, [A, B]);
    store = applyPoll(store, poll({ metrics: { [A]: rows([0, 1]) }, cursor: { [A]: 2, [B]: 0 } }));
    const reloaded = withRuns(store, [A]);
    expect(reloaded.metrics[A]!.epoch).toEqual([0, 1]);
    expect(reloaded.cursor).toEqual({ [A]: 2 });
  });

  it("starts from rows loaded whole, with each run's row count as its cursor, so the first poll asks only for newer rows", () => {
    const { reset: _reset, ...loaded } = rows([0, 1, 2]);
    const store = seedStore([A, B], { [A]: loaded });
    expect(store.cursor).toEqual({ [A]: 3, [B]: 0 });
    const next = applyPoll(store, poll({ metrics: { [A]: rows([3]) }, cursor: { [A]: 4, [B]: 0 } }));
    expect(next.metrics[A]!.epoch).toEqual([0, 1, 2, 3]);
    expect(next.metrics[B]!.epoch).toEqual([]);
  });
});

describe("step curve store", () => {
  const points = (...steps: number[]) => ({
    epoch: steps.map((s) => Math.floor(s / 10)),
    step: steps,
    lr: steps.map(() => 0.1),
    lrMin: steps.map(() => 0.05),
    lrMax: steps.map(() => 0.1),
    loss: steps.map(() => 1),
  });

  it("appends new points, replaces a re-run, and keeps an empty entry for each run without points", () => {
    const first = applyStepsPoll(EMPTY_STEP_STORE, { steps: { [A]: { ...points(0, 5), reset: false } }, cursor: { [A]: 1, [B]: 0 } });
    expect(first.steps[A]!.step).toEqual([0, 5]);
    expect(first.steps[B]).toEqual({ epoch: [], step: [], lr: [], lrMin: [], lrMax: [], loss: [] });
    expect(first.cursor).toEqual({ [A]: 1, [B]: 0 });

    const second = applyStepsPoll(first, {
      steps: { [A]: { ...points(10), reset: false }, [B]: { ...points(0), reset: false } },
      cursor: { [A]: 2, [B]: 1 },
    });
    expect(second.steps[A]).toEqual({
      epoch: [0, 0, 1],
      step: [0, 5, 10],
      lr: [0.1, 0.1, 0.1],
      lrMin: [0.05, 0.05, 0.05],
      lrMax: [0.1, 0.1, 0.1],
      loss: [1, 1, 1],
    });
    expect(second.steps[B]!.step).toEqual([0]);

    const idle = applyStepsPoll(second, { steps: {}, cursor: { [A]: 2, [B]: 1 } });
    expect(idle.steps[A]!.step).toEqual([0, 5, 10]);

    const rerun = applyStepsPoll(idle, { steps: { [A]: { ...points(0), reset: true } }, cursor: { [A]: 1, [B]: 1 } });
    expect(rerun.steps[A]!.step).toEqual([0]);
    expect(rerun.steps[B]!.step).toEqual([0]);
  });
});
