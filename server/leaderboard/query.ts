/**
 * The leaderboard's reads: one indexed query on `leaderboard_configs` per page (plus a count and
 * the leader's interval), never a scan of runs or epoch_metrics.
 */
import { and, asc, count, eq, gte, ilike, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { leaderboardConfigs, type LeaderboardConfigRow } from "../../db/schema";
import { LEADERBOARD_TARGETS, type LeaderboardTarget } from "../../lib/constants";
import { MAX_EPOCHS } from "../../training/config";
import { MODEL_NAMES } from "../../training/model/names";
import { TRACKS } from "../../training/tracks";
import { OPTIMIZER_KINDS } from "../../training/optimizers/spec";
import { SCHEDULE_KINDS } from "../../training/schedules/spec";
import { textField } from "../../training/text";
import { tiedWith } from "../../lib/stats/stats";

/** Sortable numeric columns. The target-dependent ones follow the chosen target. */
export const SORT_KEYS = [
  "meanAcc",
  "stdAcc",
  "ciLow",
  "ciHigh",
  "n",
  "meanBestAcc",
  "epochsToTarget",
  "secondsToTarget",
  "reachedTarget",
  "epochs",
  "batchSize",
  "meanTrainSeconds",
  "diverged",
  "failed",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Where "less is better", ascending is the natural first click. */
export const DEFAULT_DIRECTION: Record<SortKey, "asc" | "desc"> = {
  meanAcc: "desc",
  stdAcc: "asc",
  ciLow: "desc",
  ciHigh: "desc",
  n: "desc",
  meanBestAcc: "desc",
  epochsToTarget: "asc",
  secondsToTarget: "asc",
  reachedTarget: "desc",
  epochs: "asc",
  batchSize: "asc",
  meanTrainSeconds: "asc",
  diverged: "asc",
  failed: "asc",
};

export const DEFAULT_TARGET: LeaderboardTarget = 70;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

const oneOf = <T extends string>(values: readonly T[]) =>
  z.enum(values as unknown as readonly [T, ...T[]], { error: `must be one of ${values.join(", ")}` });

export const leaderboardInput = z.strictObject({
  track: oneOf(TRACKS).default("full"),
  sort: oneOf(SORT_KEYS).default("meanAcc"),
  dir: z.enum(["asc", "desc"], { error: "must be asc or desc" }).optional(),
  target: z.literal(LEADERBOARD_TARGETS, { error: `must be one of ${LEADERBOARD_TARGETS.join(", ")} (percent)` }).default(DEFAULT_TARGET),
  optimizer: oneOf(OPTIMIZER_KINDS).optional(),
  scheduleKind: oneOf(SCHEDULE_KINDS).optional(),
  model: oneOf(MODEL_NAMES).optional(),
  epochs: z
    .number()
    .refine(Number.isInteger, "must be an integer")
    .min(1, "must be ≥ 1")
    .max(MAX_EPOCHS, `must be ≤ ${MAX_EPOCHS}`)
    .optional(),
  q: textField({ max: 100 }).optional(),
  page: z.number().refine(Number.isInteger, "must be an integer").min(1, "must be ≥ 1").max(10_000, "must be ≤ 10000").default(1),
  pageSize: z
    .number()
    .refine(Number.isInteger, "must be an integer")
    .min(1, "must be ≥ 1")
    .max(MAX_PAGE_SIZE, `must be ≤ ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
});
export type LeaderboardInput = z.input<typeof leaderboardInput>;
export type LeaderboardQuery = z.output<typeof leaderboardInput>;

const t = leaderboardConfigs;

function sortColumn(sort: SortKey, target: LeaderboardTarget) {
  switch (sort) {
    case "epochsToTarget":
      return t[`epochsTo${target}`];
    case "secondsToTarget":
      return t[`secondsTo${target}`];
    case "reachedTarget":
      return t[`reached${target}`];
    default:
      return t[sort];
  }
}

/** `%`, `_` and `\` match themselves in the search box. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function whereOf(q: Pick<LeaderboardQuery, "track" | "optimizer" | "scheduleKind" | "model" | "epochs" | "q">): SQL {
  // Rows of different tracks never share a page.
  const parts: SQL[] = [eq(t.track, q.track)];
  if (q.optimizer) parts.push(eq(t.optimizerKind, q.optimizer));
  if (q.scheduleKind) parts.push(eq(t.scheduleKind, q.scheduleKind));
  if (q.model) parts.push(eq(t.model, q.model));
  if (q.epochs !== undefined) parts.push(eq(t.epochs, q.epochs));
  if (q.q) parts.push(ilike(t.searchText, likePattern(q.q)));
  return and(...parts)!;
}

export function orderOf(q: Pick<LeaderboardQuery, "sort" | "dir" | "target">): SQL[] {
  const column = sortColumn(q.sort, q.target);
  const dir = q.dir ?? DEFAULT_DIRECTION[q.sort];
  // Rows without a value (no succeeded seed, target never reached) go last either way; the hash
  // breaks ties so pages never overlap.
  const primary = dir === "desc" ? sql`${column} desc nulls last` : sql`${column} asc nulls last`;
  const secondary = q.sort === "meanAcc" ? [] : [sql`${t.meanAcc} desc nulls last`];
  return [primary, ...secondary, asc(t.configHash), asc(t.trainerVersion)];
}

export interface LeaderboardRow {
  configHash: string;
  /** The numerics behind the row (training/version); `unversioned` for runs from before versions. */
  trainerVersion: string;
  model: string;
  optimizer: string;
  optimizerKind: string;
  schedule: string;
  scheduleKind: string;
  epochs: number;
  batchSize: number;
  n: number;
  diverged: number;
  failed: number;
  meanAcc: number | null;
  stdAcc: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  meanBestAcc: number | null;
  meanTrainSeconds: number | null;
  /** For the chosen target: mean epochs and seconds over the seeds that reached it, and how many did. */
  epochsToTarget: number | null;
  secondsToTarget: number | null;
  reachedTarget: number;
  backends: string;
  curve: number[];
  comparisons: { slug: string; title: string }[];
  comparisonCount: number;
  /** Some of its seeds are final runs of a tuned comparison. */
  tuned: boolean;
  /** "leader", "tied" (95% intervals overlap the leader's), "behind", or "n<2" (no interval). */
  standing: "leader" | "tied" | "behind" | "n<2";
}

type Leader = Pick<LeaderboardConfigRow, "configHash" | "trainerVersion" | "meanAcc" | "ciLow" | "ciHigh">;

/** A row stands against the leader of its own trainer version only: other numerics make no claim either way. */
export function presentRow(row: LeaderboardConfigRow, target: LeaderboardTarget, leaders: readonly Leader[]): LeaderboardRow {
  const leader = leaders.find((l) => l.trainerVersion === row.trainerVersion) ?? null;
  const isLeader = leader?.configHash === row.configHash;
  const standing: LeaderboardRow["standing"] =
    row.ciLow === null ? "n<2" : isLeader ? "leader" : leader && tiedWith(leader, row) ? "tied" : "behind";
  return {
    configHash: row.configHash,
    trainerVersion: row.trainerVersion,
    model: row.model,
    optimizer: row.optimizerText,
    optimizerKind: row.optimizerKind,
    schedule: row.scheduleText,
    scheduleKind: row.scheduleKind,
    epochs: row.epochs,
    batchSize: row.batchSize,
    n: row.n,
    diverged: row.diverged,
    failed: row.failed,
    meanAcc: row.meanAcc,
    stdAcc: row.stdAcc,
    ciLow: row.ciLow,
    ciHigh: row.ciHigh,
    meanBestAcc: row.meanBestAcc,
    meanTrainSeconds: row.meanTrainSeconds,
    epochsToTarget: row[`epochsTo${target}`],
    secondsToTarget: row[`secondsTo${target}`],
    reachedTarget: row[`reached${target}`],
    backends: row.backends,
    curve: row.curve,
    comparisons: row.comparisons as { slug: string; title: string }[],
    comparisonCount: row.comparisonCount,
    tuned: row.tuned,
    standing,
  };
}

type Reader = Pick<Db, "select" | "selectDistinctOn">;

/**
 * One page. Each trainer version has its own leader: the highest mean among its rows with an
 * interval (n ≥ 2) under the same filters. A single lucky seed cannot lead, rows with n = 1 are
 * marked as having no interval, and results of other numerics are never ranked against each other.
 */
export async function leaderboardPage(db: Reader, input: LeaderboardQuery) {
  const where = whereOf(input);
  const [rows, totals, leaderRows] = await Promise.all([
    db
      .select()
      .from(t)
      .where(where)
      .orderBy(...orderOf(input))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(t).where(where),
    db
      .selectDistinctOn([t.trainerVersion], {
        configHash: t.configHash,
        trainerVersion: t.trainerVersion,
        ciLow: t.ciLow,
        ciHigh: t.ciHigh,
        meanAcc: t.meanAcc,
      })
      .from(t)
      .where(and(where, gte(t.n, 2)))
      .orderBy(asc(t.trainerVersion), sql`${t.meanAcc} desc nulls last`, asc(t.configHash)),
  ]);
  const total = totals[0]?.n ?? 0;
  // Best leader first; the hash and version break ties so the order is stable.
  const leaders = leaderRows.sort(
    (a, b) =>
      (b.meanAcc ?? -Infinity) - (a.meanAcc ?? -Infinity) ||
      a.configHash.localeCompare(b.configHash) ||
      a.trainerVersion.localeCompare(b.trainerVersion),
  );
  return {
    track: input.track,
    page: input.page,
    pageSize: input.pageSize,
    total,
    pages: Math.max(1, Math.ceil(total / input.pageSize)),
    sort: input.sort,
    dir: input.dir ?? DEFAULT_DIRECTION[input.sort],
    target: input.target,
    leaders,
    rows: rows.map((row) => presentRow(row, input.target, leaders)),
  };
}

/** Raw SQL of the page query, for EXPLAIN in the benchmark. */
export function leaderboardPageSql(db: Reader, input: LeaderboardQuery) {
  return db
    .select()
    .from(t)
    .where(whereOf(input))
    .orderBy(...orderOf(input))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .toSQL();
}
