/**
 * The web app's batch writes to the run queue, all usable inside a transaction: queue a
 * comparison's runs at once, cancel a comparison's runs, re-queue a finished run. Single-run
 * cancel is server/queue's `cancelRun`. The worker side (claims, leases, results) is
 * server/queue's; these only move runs between queued and final states in ways the worker's
 * fenced writes tolerate (a canceled run's worker sees "canceled" at its next heartbeat).
 */
import { TRPCError } from "@trpc/server";
import { and, count, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runs, tunings, type Run } from "../../../db/schema";
import type { RunConfig } from "../../../training/config";
import type { Limits } from "../../../lib/limits";
import { cancelActiveRuns, insertRuns, type Executor } from "../../queue/transitions";

export async function queueRuns(
  db: Executor,
  opts: { owner: string; comparisonId: string; configs: readonly RunConfig[] },
): Promise<Run[]> {
  // now() is one value per transaction; 1 ms steps keep the submitted order for display and claims.
  const base = Date.now();
  return insertRuns(
    db,
    opts.configs.map((config, i) => ({ createdAt: new Date(base + i), comparisonId: opts.comparisonId, owner: opts.owner, config })),
  );
}

/**
 * Runs of `owner` waiting for a worker, counting the final runs their tunings still in the sweep
 * will queue (they were counted when the tuning was queued, and are queued later without a check).
 */
export async function countQueuedRuns(db: Executor, owner: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(runs)
    .where(and(eq(runs.owner, owner), eq(runs.status, "queued")));
  return (row?.n ?? 0) + (await pendingFinalRuns(db, eq(tunings.owner, owner)));
}

/** Final runs that tunings still sweeping (of `where`) will queue. */
async function pendingFinalRuns(db: Executor, where: SQL): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${tunings.k}), 0)::int` })
    .from(tunings)
    .where(and(where, eq(tunings.phase, "sweep")));
  return row?.n ?? 0;
}

/**
 * Serialises one user's submissions (a transaction-scoped advisory lock), then checks the queued
 * quota, so two tabs submitting at once cannot both slip under it. Call inside the transaction
 * that queues the runs.
 */
export async function checkQueueQuota(
  tx: Executor & Pick<Db, "execute">,
  owner: string,
  adding: number,
  limits: Pick<Limits, "maxQueuedRuns">,
): Promise<void> {
  await lockOwner(tx, owner);
  await checkQueueRoom(tx, owner, adding, limits);
}

/** The queued quota without the lock: the cheap early refusal, before configs are validated. */
export async function checkQueueRoom(db: Executor, owner: string, adding: number, limits: Pick<Limits, "maxQueuedRuns">): Promise<void> {
  const queued = await countQueuedRuns(db, owner);
  if (queued + adding > limits.maxQueuedRuns) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message:
        `This would queue ${adding} run${adding === 1 ? "" : "s"} on top of your ${queued} queued, over the limit of ` +
        `${limits.maxQueuedRuns} queued runs per user. Wait for some to start, or cancel some.`,
    });
  }
}

/**
 * The comparison's runs (of `kind` when given; with the final runs its sweeping tunings will add), counted after locking its row, so requests adding
 * runs to one comparison count one after another and a cap checked on this count holds. Call
 * inside the transaction that inserts the runs, after checkQueueQuota (locks in one order).
 */
export async function lockedRunCount(tx: Executor & Pick<Db, "execute">, comparisonId: string, kind?: Run["kind"]): Promise<number> {
  await tx.execute(sql`select 1 from comparisons where id = ${comparisonId}::uuid for update`);
  const [row] = await tx
    .select({ n: count() })
    .from(runs)
    .where(and(eq(runs.comparisonId, comparisonId), kind ? eq(runs.kind, kind) : undefined));
  const pending = kind === "preview" ? 0 : await pendingFinalRuns(tx, eq(tunings.comparisonId, comparisonId));
  return (row?.n ?? 0) + pending;
}

/** One owner's writes in turn, until the transaction ends. */
export async function lockOwner(tx: Pick<Db, "execute">, owner: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${owner}, 0))`);
}

/** Cancels every active run of a comparison (before deleting it). */
export async function cancelComparisonRuns(db: Executor, comparisonId: string): Promise<void> {
  await cancelActiveRuns(db, eq(runs.comparisonId, comparisonId));
}
