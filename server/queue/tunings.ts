/**
 * Tuned comparisons in the queue (DeepOBS's protocol, training/tuning): a tuning's n sweep runs
 * train on the validation split and never evaluate the test set; under successive halving each
 * pauses at a rung (⅓, ⅔ of the epochs: status back to `queued`, checkpoint kept, not claimable
 * while `epochs_completed >= pause_after`). `advanceTuning` moves a tuning on; it is called in the
 * transaction that records one of its runs' ends (finish, pause, a lost run failed, a cancel), so
 * the state it reads is the one that transaction commits:
 * - every alive sweep run paused at the rung → the worse half is stopped (canceled, with the reason),
 *   the rest resume to the next rung (or the end);
 * - no sweep run alive → the best final validation accuracy is selected (training/tuning `best`) and
 *   k final runs of that lr are queued (seeds base.seed + i), which evaluate the test set.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { lrTests, runs, tunings, type TuningRow } from "../../db/schema";
import { canonicalJson, parseRunConfig, type RunConfig } from "../../training/config";
import { best, halvingRungs, survivors } from "../../training/tuning/halving";
import { DEFAULT_LR_RANGE, logSpaced, rangeAroundSuggestions, withLr, type TuneSettings } from "../../training/tuning/sweep";
import type { StoredLrTestResult } from "../../lib/lrTests";
import { halvingStopReason } from "../../lib/tunings";
import { cancelActiveRuns, insertRuns, type Executor } from "./transitions";

/** How many recent LR tests of the owner are looked at for one of the same config. */
const LR_TESTS_SCANNED = 50;

export interface SweepRange {
  range: [number, number];
  /** The LR range test it came from; null for the default range. */
  lrTestId: string | null;
}

/** What an LR range test depends on: the config without its schedule, length and seed. */
function lrTestKey(config: RunConfig): string {
  const { schedule: _schedule, epochs: _epochs, seed: _seed, ...rest } = config;
  return canonicalJson(rest);
}

/**
 * The range to sweep: around the suggestions of the owner's latest succeeded LR range test of the
 * same config (model, optimizer, batch size, data; training/tuning `rangeAroundSuggestions`: a
 * decade either side), else the default 1e-4 … 1.
 */
export async function sweepRange(db: Executor, owner: string, config: RunConfig): Promise<SweepRange> {
  const recent = await db
    .select({ id: lrTests.id, config: lrTests.config, result: lrTests.result })
    .from(lrTests)
    .where(and(eq(lrTests.owner, owner), eq(lrTests.status, "succeeded")))
    .orderBy(sql`${lrTests.finishedAt} desc nulls last`, sql`${lrTests.createdAt} desc`)
    .limit(LR_TESTS_SCANNED);
  const key = lrTestKey(config);
  for (const test of recent) {
    let same: boolean;
    try {
      same = lrTestKey(parseRunConfig(test.config)) === key;
    } catch {
      continue; // a config today's rules reject cannot be this one
    }
    if (!same) continue;
    const suggestions = (test.result as StoredLrTestResult | null)?.suggestions;
    const range = suggestions ? rangeAroundSuggestions(Object.values(suggestions)) : null;
    if (range) return { range, lrTestId: test.id };
  }
  return { range: [...DEFAULT_LR_RANGE], lrTestId: null };
}

/** The sweep's configs: the base config at each log-spaced lr, seed unchanged. */
function sweepConfigs(base: RunConfig, n: number, range: readonly [number, number]): RunConfig[] {
  return logSpaced(n, range).map((lr) => ({ ...base, schedule: withLr(base.schedule, lr) }));
}

/** Inserts a tuning and queues its sweep (inside the caller's transaction, after its quota checks). */
export async function insertTuning(
  tx: Executor,
  opts: { owner: string; comparisonId: string; base: RunConfig; settings: TuneSettings; range: SweepRange },
): Promise<TuningRow> {
  const { base, settings } = opts;
  const [tuning] = await tx
    .insert(tunings)
    .values({
      comparisonId: opts.comparisonId,
      owner: opts.owner,
      baseConfig: base,
      n: settings.n,
      k: settings.k,
      halving: settings.halving,
      lrLow: opts.range.range[0],
      lrHigh: opts.range.range[1],
      lrTestId: opts.range.lrTestId,
    })
    .returning();
  const pauseAfter = settings.halving ? (halvingRungs(base.epochs)[0] ?? null) : null;
  const start = Date.now();
  await insertRuns(
    tx,
    sweepConfigs(base, settings.n, opts.range.range).map((config, i) => ({
      // 1 ms steps keep the lr order for display and claims (now() is one value per transaction).
      createdAt: new Date(start + i),
      comparisonId: opts.comparisonId,
      owner: opts.owner,
      config,
      tuningId: tuning!.id,
      tuningRole: "sweep" as const,
      pauseAfter,
    })),
  );
  return tuning!;
}

const ALIVE = new Set(["queued", "running"]);

/** Moves the tuning on when its runs allow it (see the file comment). Call inside the transaction recording a run's end. */
export async function advanceTuning(tx: Executor, tuningId: string): Promise<void> {
  // The row lock serialises the advancers of runs ending at once: the later one reads the earlier's commit.
  const locked = await tx.execute<{ phase: string }>(sql`select phase from tunings where id = ${tuningId}::uuid for update`);
  if (locked.rows[0]?.phase !== "sweep") return;
  const [tuning] = await tx.select().from(tunings).where(eq(tunings.id, tuningId));
  const base = parseRunConfig(tuning!.baseConfig);
  const sweep = await tx
    .select({
      id: runs.id,
      status: runs.status,
      config: runs.config,
      epochsCompleted: runs.epochsCompleted,
      totalEpochs: runs.totalEpochs,
      pauseAfter: runs.pauseAfter,
      finalValAcc: runs.finalValAcc,
    })
    .from(runs)
    .where(and(eq(runs.tuningId, tuningId), eq(runs.tuningRole, "sweep")))
    .orderBy(asc(runs.createdAt), asc(runs.id));
  const alive = sweep.filter((r) => ALIVE.has(r.status));
  const score = (r: (typeof sweep)[number]) => r.finalValAcc ?? Number.NaN;

  if (alive.length > 0) {
    const rung = alive[0]!.pauseAfter;
    const allPaused = alive.every((r) => r.status === "queued" && r.pauseAfter === rung && rung !== null && r.epochsCompleted >= rung);
    if (!allPaused || rung === null) return;
    // Each paused run's last epoch is the rung's: its final val accuracy is the score there.
    const { keep, stop } = survivors(alive.map((r, index) => ({ index, valAcc: score(r) })));
    const stopIds = stop.map((i) => alive[i]!.id);
    if (stopIds.length > 0) {
      await cancelActiveRuns(tx, inArray(runs.id, stopIds), halvingStopReason(rung));
    }
    const next = halvingRungs(base.epochs).find((e) => e > rung) ?? null;
    const keepIds = keep.map((i) => alive[i]!.id);
    if (keepIds.length > 0) await tx.update(runs).set({ pauseAfter: next }).where(inArray(runs.id, keepIds));
    return;
  }

  const finished = sweep.filter((r) => r.status === "succeeded" && r.epochsCompleted === r.totalEpochs);
  const chosen = best(finished.map((r, index) => ({ index, valAcc: score(r) })));
  if (chosen === null) {
    await tx
      .update(tunings)
      .set({ phase: "failed", error: "no learning rate of the sweep finished (each diverged, failed or was canceled)" })
      .where(eq(tunings.id, tuningId));
    return;
  }
  const winner = parseRunConfig(finished[chosen]!.config);
  const lr = (winner.schedule as { lr: number }).lr;
  // The final runs train on the whole training set (no split held out) and are measured on the test set.
  const { valSplit: _valSplit, ...finalConfig } = winner;
  const start = Date.now();
  await insertRuns(
    tx,
    Array.from({ length: tuning!.k }, (_, i) => ({
      createdAt: new Date(start + i),
      comparisonId: tuning!.comparisonId,
      owner: tuning!.owner,
      config: { ...finalConfig, seed: base.seed + i },
      tuningId,
      tuningRole: "final" as const,
    })),
  );
  await tx.update(tunings).set({ phase: "final", selectedLr: lr }).where(eq(tunings.id, tuningId));
}

/** Advances the tunings of these runs (after they ended outside the worker: canceled, or failed for lost leases). */
export async function advanceTuningsOf(tx: Executor, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  const rows = await tx
    .select({ tuningId: runs.tuningId })
    .from(runs)
    .where(and(inArray(runs.id, [...runIds]), eq(runs.tuningRole, "sweep")));
  const ids = new Set(rows.flatMap((r) => (r.tuningId ? [r.tuningId] : [])));
  for (const id of [...ids].sort()) await advanceTuning(tx, id);
}
