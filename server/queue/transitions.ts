/**
 * Run rows are written here, outside the worker: inserted (queued, or a finished browser preview),
 * canceled and re-queued, each refreshing the columns that depend on the change in the same
 * statement sequence (call inside the caller's transaction). The worker's own transitions — claim,
 * epochs, finish, reuse — are fenced on its lease and live beside this, in ./pgRunQueue.ts; both
 * compute summaries with ./summary.ts.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { checkpoints, epochMetrics, epochSteps, FINAL_STATUSES, runs, type Run } from "../../db/schema";
import { configHash, type RunConfig } from "../../training/config";
import { summaryAssignments, targetAssignments } from "./summary";

/** A transaction or the database: both run these statements. */
export type Executor = Pick<Db, "insert" | "update" | "delete" | "select" | "execute">;

type NewRun = Omit<typeof runs.$inferInsert, "config" | "configHash" | "seed" | "totalEpochs"> & { config: RunConfig };

/** Inserts runs; the columns derived from a config (hash, seed, epochs) are derived here only. */
export async function insertRuns(db: Executor, rows: readonly NewRun[]): Promise<Run[]> {
  if (rows.length === 0) return [];
  const values = await Promise.all(
    rows.map(async (row) => ({ ...row, configHash: await configHash(row.config), seed: row.config.seed, totalEpochs: row.config.epochs })),
  );
  return db.insert(runs).values(values).returning();
}

/** Recomputes a run's summary columns from its epoch rows. */
export async function refreshSummary(db: Executor, runId: string): Promise<void> {
  await db.execute(sql`update runs set ${summaryAssignments(runId)} where id = ${runId}::uuid`);
}

/**
 * Cancels the queued or running runs that `where` selects (their workers see "canceled" at the next
 * heartbeat and stop within a batch); returns the ids it canceled. `reason` is kept as the run's error
 * (a stop by successive halving says so).
 */
export async function cancelActiveRuns(db: Executor, where: SQL | undefined, reason?: string): Promise<string[]> {
  const canceled = await db
    .update(runs)
    .set({ status: "canceled", finishedAt: sql`now()`, leaseExpiresAt: null, ...(reason ? { error: reason } : {}) })
    .where(and(where, inArray(runs.status, ["queued", "running"])))
    .returning({ id: runs.id });
  for (const { id } of canceled) await refreshSummary(db, id);
  return canceled.map((r) => r.id);
}

/**
 * Puts a finished run back in the queue from scratch: its epochs, step curves, checkpoint and
 * results are dropped. False when the run is still queued or running.
 */
export async function requeueRun(db: Executor, runId: string): Promise<boolean> {
  const reset = await db
    .update(runs)
    .set({
      status: "queued",
      attempts: 0,
      workerId: null,
      leaseExpiresAt: null,
      startedAt: null,
      heartbeatAt: null,
      finishedAt: null,
      error: null,
      backend: null,
      reusedFrom: null,
    })
    .where(and(eq(runs.id, runId), inArray(runs.status, [...FINAL_STATUSES])))
    .returning({ id: runs.id });
  if (reset.length !== 1) return false;
  await db.delete(epochMetrics).where(eq(epochMetrics.runId, runId));
  await db.delete(epochSteps).where(eq(epochSteps.runId, runId));
  await db.delete(checkpoints).where(eq(checkpoints.runId, runId));
  // The summary columns come from the (now absent) epoch rows, by the same code that finishes a run.
  await db.execute(sql`update runs set ${summaryAssignments(runId)}, ${targetAssignments(runId)} where id = ${runId}::uuid`);
  return true;
}
