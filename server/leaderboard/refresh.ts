/**
 * Keeps `leaderboard_configs` equal to the aggregate of the eligible runs of each config hash and
 * trainer version (runs from different numerics are never pooled; runs from before versions form
 * an `unversioned` row).
 *
 * A run is eligible when it is a full run (not a browser preview) whose config is in a track
 * (training/tracks.ts: the full data, or the budget subset; never a test limit or a validation split,
 * whose "val" accuracy is not a test accuracy), in a
 * comparison whose visibility is `public`, and in a final state that says something about the
 * config: succeeded (the statistics), diverged or failed (counted in their own columns).
 * Canceled and unfinished runs never count.
 *
 * Each refresh recomputes whole config hashes from their runs (never increments), so the table
 * cannot drift: callers refresh the hashes they touched in the same transaction as the change
 * (a run finishing or being requeued, a comparison changing visibility or being deleted). A
 * transaction-scoped advisory lock per hash serialises concurrent refreshes of one hash; as each
 * statement reads committed data taken after the lock, the last one to commit sees every change.
 *
 * Seeds, not runs, are the sample: a seed run twice (or copied from an identical earlier run)
 * counts once, preferring a succeeded, non-copied run.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { leaderboardConfigs, UNVERSIONED } from "../../db/schema";
import { LEADERBOARD_TARGETS } from "../../lib/constants";
import { runConfigSchema } from "../../training/config";
import { BUDGET, trackOf } from "../../training/tracks";
import { describeOptimizer } from "../../training/optimizers/spec";
import { describeSchedule } from "../../training/schedules/describe";
import { mean, sampleStats } from "../../lib/stats/stats";

/** A transaction (or the database, where locking is not asked for). */
export type Executor = Pick<Db, "execute" | "insert" | "delete">;

/** `trackOf(config) !== null` in SQL, over a `runs` row's config (`prefix`: its alias, with the dot). */
const inTrack = (prefix: string) =>
  `(${prefix}config -> 'testLimit') is null and (${prefix}config -> 'valSplit') is null and ((${prefix}config -> 'trainLimit') is null` +
  ` or ((${prefix}config ->> 'trainLimit')::int = ${BUDGET.trainImages} and (${prefix}config ->> 'epochs')::int <= ${BUDGET.maxEpochs}))`;

/** The part of eligibility that never changes for a run (visibility and status can). For `runs` rows, unqualified. */
export const STATICALLY_ELIGIBLE: SQL = sql.raw(`(kind = 'full' and comparison_id is not null and ${inTrack("")})`);

/** How many comparisons a row links to directly (the config page lists them all). */
export const LINKED_COMPARISONS = 5;

export interface EligibleRun {
  id: string;
  config_hash: string;
  config: unknown;
  /** bigint: the driver returns it as text. */
  seed: string;
  status: "succeeded" | "failed" | "diverged";
  reused: boolean;
  final_val_acc: number | null;
  best_val_acc: number | null;
  train_seconds: number | null;
  backend: string | null;
  trainer_version: string;
  epochs_to_target: (number | null)[] | null;
  seconds_to_target: (number | null)[] | null;
  share_slug: string;
  title: string;
  finished_at: Date | string | null;
  /** A final run of a tuned comparison (its lr was chosen on a validation split). */
  tuned: boolean;
}

/** The eligible runs of some config hashes (the same rule the refresh and the config page use). */
export function eligibleRunsQuery(hashes: readonly string[]): SQL {
  return sql`
    select r.id, r.config_hash, r.config, r.seed, r.status, r.reused_from is not null as reused, r.final_val_acc, r.best_val_acc,
      r.train_seconds, r.backend, coalesce(r.trainer_version, ${UNVERSIONED}) as trainer_version, r.epochs_to_target, r.seconds_to_target, c.share_slug, c.title, r.finished_at,
      coalesce(r.tuning_role = 'final', false) as tuned
    from runs r join comparisons c on c.id = r.comparison_id
    where r.config_hash = any(string_to_array(${hashes.join(",")}, ','))
      and c.visibility = 'public' and r.kind = 'full'
      and r.status in ('succeeded', 'failed', 'diverged')
      and ${sql.raw(inTrack("r."))}
    order by r.config_hash, trainer_version, r.finished_at nulls last, r.id`;
}

export interface RefreshOptions {
  /** Take the per-hash advisory locks (default true; needs a transaction). A bulk rebuild with nothing else writing may skip them. */
  lock?: boolean;
}

/** Recomputes the leaderboard rows of `hashes` from their runs. Call inside the transaction that changed them. */
export async function refreshLeaderboard(db: Executor, hashes: Iterable<string>, options: RefreshOptions = {}): Promise<void> {
  const unique = [...new Set(hashes)].sort();
  if (unique.length === 0) return;
  if (options.lock ?? true) {
    // Sorted, so two refreshes of overlapping sets cannot deadlock.
    await db.execute(sql`
      select pg_advisory_xact_lock(hashtextextended('leaderboard:' || h, 0))
      from (select h from unnest(string_to_array(${unique.join(",")}, ',')) h order by h) s`);
  }
  await db.execute(sql`delete from leaderboard_configs where config_hash = any(string_to_array(${unique.join(",")}, ','))`);
  const { rows } = await db.execute<EligibleRun & Record<string, unknown>>(eligibleRunsQuery(unique));
  if (rows.length === 0) return;

  // One row per (config hash, trainer version).
  const byHash = new Map<string, EligibleRun[]>();
  for (const row of rows) {
    const key = rowKey(row.config_hash, row.trainer_version);
    const list = byHash.get(key) ?? [];
    list.push(row);
    byHash.set(key, list);
  }
  const chosen = new Map<string, EligibleRun[]>();
  for (const [hash, list] of byHash) chosen.set(hash, chooseOnePerSeed(list));

  const succeededIds = [...chosen.values()]
    .flat()
    .filter((r) => r.status === "succeeded")
    .map((r) => r.id);
  const curves = new Map<string, number[]>();
  if (succeededIds.length > 0) {
    const { rows: points } = await db.execute<{ config_hash: string; trainer_version: string; epoch: number; acc: number | null }>(sql`
      select r.config_hash, coalesce(r.trainer_version, ${UNVERSIONED}) as trainer_version, m.epoch,
        avg(m.val_acc) filter (where m.val_acc <> 'NaN') as acc
      from epoch_metrics m join runs r on r.id = m.run_id
      where m.run_id = any(string_to_array(${succeededIds.join(",")}, ',')::uuid[])
      group by 1, 2, m.epoch
      order by 1, 2, m.epoch`);
    for (const p of points) {
      const key = rowKey(p.config_hash, p.trainer_version);
      const curve = curves.get(key) ?? [];
      curve[p.epoch] = p.acc ?? Number.NaN;
      curves.set(key, curve);
    }
  }

  const values = [...byHash.entries()].map(([key, all]) =>
    aggregateConfig(all[0]!.config_hash, all, chosen.get(key)!, curves.get(key) ?? []),
  );
  for (let i = 0; i < values.length; i += 500) {
    await db.insert(leaderboardConfigs).values(values.slice(i, i + 500));
  }
}

const rowKey = (hash: string, version: string) => `${hash} ${version}`;

/** One run per seed: a succeeded one if any (an original before a copy), else diverged, else failed. */
export function chooseOnePerSeed(runs: readonly EligibleRun[]): EligibleRun[] {
  const rank = (r: EligibleRun) => (r.status === "succeeded" ? (r.reused ? 1 : 0) : r.status === "diverged" ? 2 : 3);
  const best = new Map<number, EligibleRun>();
  for (const run of runs) {
    const seed = Number(run.seed);
    const current = best.get(seed);
    if (!current || rank(run) < rank(current)) best.set(seed, run);
  }
  return [...best.values()];
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

export function aggregateConfig(
  hash: string,
  all: readonly EligibleRun[],
  chosen: readonly EligibleRun[],
  curve: number[],
): typeof leaderboardConfigs.$inferInsert {
  const { seed: _seed, ...config } = runConfigSchema.parse(all[0]!.config);
  const succeeded = chosen.filter((r) => r.status === "succeeded" && finite(r.final_val_acc));
  const stats = sampleStats(succeeded.map((r) => r.final_val_acc!));
  const targets: Record<string, number | null> = {};
  LEADERBOARD_TARGETS.forEach((target, i) => {
    const reached = succeeded.filter((r) => finite(r.epochs_to_target?.[i]));
    targets[`epochsTo${target}`] = mean(reached.map((r) => r.epochs_to_target![i]!));
    targets[`secondsTo${target}`] = mean(reached.map((r) => r.seconds_to_target?.[i]).filter(finite));
    targets[`reached${target}`] = reached.length;
  });
  const comparisons = new Map<string, { slug: string; title: string }>();
  for (const run of all) if (!comparisons.has(run.share_slug)) comparisons.set(run.share_slug, { slug: run.share_slug, title: run.title });
  const optimizerText = describeOptimizer(config.optimizer);
  const scheduleText = describeSchedule(config.schedule);
  return {
    configHash: hash,
    trainerVersion: all[0]!.trainer_version,
    track: trackOf(config)!,
    config,
    model: config.model,
    optimizerKind: config.optimizer.kind,
    optimizerText,
    scheduleKind: config.schedule.kind,
    scheduleText,
    searchText: `${scheduleText} ${optimizerText}`.toLowerCase(),
    epochs: config.epochs,
    batchSize: config.batchSize,
    n: stats.n,
    diverged: chosen.filter((r) => r.status === "diverged").length,
    failed: chosen.filter((r) => r.status === "failed").length,
    meanAcc: stats.mean,
    stdAcc: stats.std,
    ciLow: stats.ciLow,
    ciHigh: stats.ciHigh,
    meanBestAcc: mean(succeeded.map((r) => r.best_val_acc).filter(finite)),
    meanTrainSeconds: mean(succeeded.map((r) => r.train_seconds).filter(finite)),
    ...(targets as Pick<typeof leaderboardConfigs.$inferInsert, "reached50" | "reached60" | "reached70" | "reached80" | "reached90">),
    backends: [...new Set(chosen.map((r) => r.backend).filter((b): b is string => !!b))].sort().join(", "),
    curve: Array.from(curve, (v) => (v === undefined ? Number.NaN : v)),
    comparisons: [...comparisons.values()].slice(0, LINKED_COMPARISONS),
    comparisonCount: comparisons.size,
    tuned: chosen.some((r) => r.tuned),
    updatedAt: new Date(),
  };
}

/** The config hashes of a comparison's runs that could count (what a visibility change or deletion must refresh). */
export async function configHashesOf(db: Pick<Db, "execute">, comparisonId: string): Promise<string[]> {
  const { rows } = await db.execute<{ config_hash: string }>(
    sql`select distinct config_hash from runs where comparison_id = ${comparisonId}::uuid and ${STATICALLY_ELIGIBLE}`,
  );
  return rows.map((r) => r.config_hash);
}

/** Rebuilds the whole table from the runs (a backfill, or the benchmark's seeding), `chunk` config hashes per transaction. */
export async function rebuildLeaderboard(db: Pick<Db, "execute" | "insert" | "delete" | "transaction">, chunk = 1000): Promise<number> {
  let done = 0;
  let after = "";
  // Keyset pages of hashes: memory stays bounded however many configs there are.
  for (;;) {
    const { rows } = await db.execute<{ config_hash: string }>(
      sql`select distinct config_hash from runs where ${STATICALLY_ELIGIBLE} and config_hash > ${after} order by config_hash limit ${chunk}`,
    );
    if (rows.length === 0) return done;
    await db.transaction((tx) =>
      refreshLeaderboard(
        tx,
        rows.map((r) => r.config_hash),
      ),
    );
    done += rows.length;
    after = rows.at(-1)!.config_hash;
  }
}
