/**
 * The live page's merged stores: what metrics.since (and, on the step axis, metrics.stepsSince) polls add up to. Pure, so the merging rules are
 * tested without a browser: rows append, a re-run (`reset`) replaces the run, and runs the page
 * does not know yet are ignored until its run list is reloaded.
 */
import type { LiveColumns, LivePoll, LiveRunState } from "../../../server/api/liveSince";
import type { StepsPoll } from "../../../server/api/stepsSince";
import { emptyStepColumns, type StepColumns } from "../../../training/stepCurve";

export interface LiveStore {
  metrics: Record<string, LiveColumns>;
  states: Record<string, LiveRunState>;
  /** Per known run, the epoch rows held: the next poll's cursor. */
  cursor: Record<string, number>;
}

const COLUMN_KEYS = [
  "epoch",
  "lr",
  "loss",
  "acc",
  "valLoss",
  "valAcc",
  "testLoss",
  "testAcc",
  "seconds",
  "imagesPerSec",
  "lrMin",
  "lrMax",
] as const;

const STEP_KEYS = ["epoch", "step", "lr", "lrMin", "lrMax", "loss"] as const satisfies readonly (keyof StepColumns)[];

function emptyColumns(): LiveColumns {
  return Object.fromEntries(COLUMN_KEYS.map((key) => [key, [] as number[]])) as unknown as LiveColumns;
}

export const EMPTY_STORE: LiveStore = { metrics: {}, states: {}, cursor: {} };

/** Keeps the runs in `runIds` (new ones start empty), drops the others. */
export function withRuns(store: LiveStore, runIds: readonly string[]): LiveStore {
  const out: LiveStore = { metrics: {}, states: {}, cursor: {} };
  for (const id of runIds) {
    out.metrics[id] = store.metrics[id] ?? emptyColumns();
    out.cursor[id] = store.cursor[id] ?? 0;
    const state = store.states[id];
    if (state) out.states[id] = state;
  }
  return out;
}

/** A store holding rows loaded whole (the page's server-rendered metrics): the cursor is what each run holds. */
export function seedStore(runIds: readonly string[], metrics: Readonly<Record<string, LiveColumns>>): LiveStore {
  const held = Object.fromEntries(Object.entries(metrics).map(([id, columns]) => [id, columns.epoch.length]));
  return withRuns({ metrics: { ...metrics }, states: {}, cursor: held }, runIds);
}

/** Merges one poll into the store; runs the store does not hold are left out. */
export function applyPoll(store: LiveStore, poll: LivePoll): LiveStore {
  const known = (id: string) => id in store.cursor;
  const metrics = { ...store.metrics };
  for (const [id, add] of Object.entries(poll.metrics)) {
    if (!known(id)) continue;
    const base = add.reset ? emptyColumns() : metrics[id]!;
    metrics[id] = Object.fromEntries(COLUMN_KEYS.map((key) => [key, [...base[key], ...add[key]]])) as unknown as LiveColumns;
  }
  const states = { ...store.states };
  for (const state of poll.runs) if (known(state.id)) states[state.id] = state;
  const cursor = { ...store.cursor };
  for (const [id, n] of Object.entries(poll.cursor)) if (known(id)) cursor[id] = n;
  return { metrics, states, cursor };
}

/** Run ids the server reported that the store does not hold: the page's run list is out of date. */
export function unknownRuns(store: LiveStore, poll: LivePoll): string[] {
  return poll.runs.map((run) => run.id).filter((id) => !(id in store.cursor));
}

/** The step axis's curves as metrics.stepsSince polls add them up (the same rules: append, or replace on `reset`). */
export interface StepStore {
  steps: Record<string, StepColumns>;
  /** Per run, the curve rows (epochs) held: the next poll's cursor. */
  cursor: Record<string, number>;
}

export const EMPTY_STEP_STORE: StepStore = { steps: {}, cursor: {} };

/** Merges one poll; every run the server names has an entry (empty until it has points). */
export function applyStepsPoll(store: StepStore, poll: StepsPoll): StepStore {
  const steps: Record<string, StepColumns> = {};
  for (const id of Object.keys(poll.cursor)) {
    const add = poll.steps[id];
    const base = add?.reset ? emptyStepColumns() : (store.steps[id] ?? emptyStepColumns());
    steps[id] = add ? (Object.fromEntries(STEP_KEYS.map((key) => [key, [...base[key], ...add[key]]])) as unknown as StepColumns) : base;
  }
  return { steps, cursor: { ...poll.cursor } };
}
