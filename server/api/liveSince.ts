/**
 * A live comparison's one poll: every run's current state plus only the epoch rows newer than the
 * caller's cursor, all read in one repeatable-read snapshot, so a run's epochsCompleted and its rows
 * always agree (two separate queries could each see a different moment and drop the last epoch).
 * The cursor is, per run, how many epoch rows the caller holds (epochs are 0-based and contiguous,
 * so it is also the next epoch it expects). A run that now has fewer rows than that was re-run:
 * it is sent whole, marked `reset`.
 */
import { and, asc, count, eq, gte, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { epochMetrics, runs, type Comparison, type EpochMetricsRow, type Run } from "../../db/schema";
import { slugSchema } from "../../lib/schemas";
import { uuid } from "../../training/validation";
import { metricColumns, type MetricColumns } from "./present";

/** Far above any comparison's run cap; bounds what one request may ask about. */
const MAX_CURSOR_RUNS = 1000;

export const sinceInput = z.strictObject({
  slug: slugSchema,
  cursor: z
    .record(uuid("a run id"), z.int().min(0).max(1_000_000))
    .refine((cursor) => Object.keys(cursor).length <= MAX_CURSOR_RUNS, `must name at most ${MAX_CURSOR_RUNS} runs`),
});
export type SinceCursor = z.infer<typeof sinceInput>["cursor"];

/** The run fields the live page updates between full loads. */
export type LiveRunState = Pick<
  Run,
  | "id"
  | "status"
  | "epochsCompleted"
  | "totalEpochs"
  | "bestValAcc"
  | "finalValAcc"
  | "finalValLoss"
  | "trainSeconds"
  | "error"
  | "startedAt"
  | "finishedAt"
  | "trainerVersion"
>;

export type LiveColumns = MetricColumns & { lrMin: number[]; lrMax: number[] };

export interface LivePoll {
  runs: LiveRunState[];
  /** Only runs with rows to add; `reset`: replace what is held (the run was re-run). */
  metrics: Record<string, LiveColumns & { reset: boolean }>;
  /** Per run, the rows held after applying this poll: send it back next time. */
  cursor: Record<string, number>;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Per-epoch lr range from the step curves, for the epochs sent only (NaN where none was stored). */
async function lrRanges(tx: Tx, from: ReadonlyMap<string, { epoch: number }>): Promise<Map<string, { lrMin: number; lrMax: number }>> {
  const out = new Map<string, { lrMin: number; lrMax: number }>();
  if (from.size === 0) return out;
  const { rows: found } = await tx.execute<{ run_id: string; epoch: number; lr_min: number; lr_max: number }>(sql`
    select run_id, epoch, (select min(v) from unnest(lr_min) v) as lr_min, (select max(v) from unnest(lr_max) v) as lr_max
    from epoch_steps where ${sql.join(
      [...from].map(([id, f]) => sql`(run_id = ${id}::uuid and epoch >= ${f.epoch}::int)`),
      sql` or `,
    )}
  `);
  for (const r of found) out.set(`${r.run_id}/${r.epoch}`, { lrMin: r.lr_min, lrMax: r.lr_max });
  return out;
}

/**
 * Reads the poll inside one read-only repeatable-read transaction. `afterRunStates` runs between
 * the first read and the rest; tests use it to write concurrently and check the snapshot holds.
 */
export async function readLiveSince(
  db: Db,
  comparison: Pick<Comparison, "id">,
  cursor: SinceCursor,
  afterRunStates?: () => Promise<void>,
): Promise<LivePoll> {
  return db.transaction(
    async (tx) => {
      const states = await tx
        .select({
          id: runs.id,
          status: runs.status,
          epochsCompleted: runs.epochsCompleted,
          totalEpochs: runs.totalEpochs,
          bestValAcc: runs.bestValAcc,
          finalValAcc: runs.finalValAcc,
          finalValLoss: runs.finalValLoss,
          trainSeconds: runs.trainSeconds,
          error: runs.error,
          startedAt: runs.startedAt,
          finishedAt: runs.finishedAt,
          trainerVersion: runs.trainerVersion,
        })
        .from(runs)
        .where(eq(runs.comparisonId, comparison.id))
        .orderBy(asc(runs.createdAt), asc(runs.id));
      await afterRunStates?.();
      const ids = states.map((s) => s.id);
      const counts =
        ids.length === 0
          ? []
          : await tx
              .select({ runId: epochMetrics.runId, n: count() })
              .from(epochMetrics)
              .where(inArray(epochMetrics.runId, ids))
              .groupBy(epochMetrics.runId);
      const stored = new Map(counts.map((c) => [c.runId, c.n]));
      const next: Record<string, number> = {};
      const from = new Map<string, { epoch: number; reset: boolean }>();
      for (const id of ids) {
        const n = stored.get(id) ?? 0;
        const held = cursor[id] ?? 0;
        next[id] = n;
        if (n < held) from.set(id, { epoch: 0, reset: true });
        else if (n > held) from.set(id, { epoch: held, reset: false });
      }
      const rows =
        from.size === 0
          ? []
          : await tx
              .select()
              .from(epochMetrics)
              .where(or(...[...from].map(([id, f]) => and(eq(epochMetrics.runId, id), gte(epochMetrics.epoch, f.epoch)))))
              .orderBy(asc(epochMetrics.runId), asc(epochMetrics.epoch));
      const ranges = await lrRanges(tx, from);
      const byRun = new Map<string, EpochMetricsRow[]>();
      for (const row of rows) {
        const list = byRun.get(row.runId);
        if (list) list.push(row);
        else byRun.set(row.runId, [row]);
      }
      const metrics: LivePoll["metrics"] = {};
      for (const [id, f] of from) {
        const list = byRun.get(id) ?? [];
        const at = list.map((r) => ranges.get(`${r.runId}/${r.epoch}`));
        metrics[id] = {
          ...metricColumns(list),
          lrMin: at.map((r) => r?.lrMin ?? Number.NaN),
          lrMax: at.map((r) => r?.lrMax ?? Number.NaN),
          reset: f.reset,
        };
      }
      return { runs: states, metrics, cursor: next };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
