/**
 * The LR-test queue on Postgres/PGlite: the run queue's rules (pgRunQueue.ts) on `lr_tests`. Claims
 * use `FOR UPDATE SKIP LOCKED`; every later write is fenced on (test, worker, attempt, running).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { ClaimedLrTest, LrTestLease, LrTestQueue } from "../../training/lrFind/queue";
import type { ClaimRequest, LeaseState } from "../../training/worker/queue";
import { DEFAULT_MAX_ATTEMPTS, type PgRunQueueOptions } from "./pgRunQueue";

const fence = (lease: LrTestLease) =>
  sql`id = ${lease.testId}::uuid and worker_id = ${lease.workerId} and attempts = ${lease.attempt} and status = 'running'`;

export function createPgLrTestQueue(db: Db, options: PgRunQueueOptions = {}): LrTestQueue {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  async function stateOf(lease: LrTestLease): Promise<LeaseState> {
    const { rows } = await db.execute<{ status: string; worker_id: string | null; attempts: number }>(
      sql`select status, worker_id, attempts from lr_tests where id = ${lease.testId}::uuid`,
    );
    const row = rows[0];
    if (row?.status === "canceled") return "canceled";
    if (row && row.status === "running" && row.worker_id === lease.workerId && row.attempts === lease.attempt) return "held";
    return "lost";
  }

  return {
    async claim({ workerId, backend, leaseMs }: ClaimRequest): Promise<ClaimedLrTest | null> {
      const rows = await db.transaction(async (tx) => {
        await tx.execute(sql`
          update lr_tests set
            status = 'failed',
            error = 'gave up after ' || attempts || ' attempts: worker ' || coalesce(worker_id, '?') || ' stopped renewing its lease',
            finished_at = now(),
            lease_expires_at = null
          where status = 'running' and lease_expires_at < now() and attempts >= ${maxAttempts}
        `);
        const claimed = await tx.execute<{ id: string; config: unknown; settings: unknown; attempts: number; reclaimed: boolean }>(sql`
          with next as (
            select id, status = 'running' as reclaimed from lr_tests
            where status = 'queued' or (status = 'running' and lease_expires_at < now() and attempts < ${maxAttempts})
            order by created_at, id
            limit 1
            for update skip locked
          )
          update lr_tests t set
            status = 'running',
            worker_id = ${workerId},
            attempts = t.attempts + 1,
            lease_expires_at = now() + ${leaseMs}::int * interval '1 millisecond',
            heartbeat_at = now(),
            started_at = coalesce(t.started_at, now()),
            backend = ${backend}
          from next
          where t.id = next.id
          returning t.id, t.config, t.settings, t.attempts, next.reclaimed
        `);
        return claimed.rows;
      });
      const row = rows[0];
      if (!row) return null;
      return {
        lease: { testId: row.id, workerId, attempt: row.attempts },
        config: row.config,
        settings: row.settings,
        reclaimed: row.reclaimed,
      };
    },

    async heartbeat(lease, leaseMs) {
      const result = await db.execute(sql`
        update lr_tests set heartbeat_at = now(), lease_expires_at = now() + ${leaseMs}::int * interval '1 millisecond'
        where ${fence(lease)}
      `);
      return result.rowCount === 1 ? "held" : stateOf(lease);
    },

    async release(lease) {
      const result = await db.execute(sql`
        update lr_tests set status = 'queued', worker_id = null, lease_expires_at = null, attempts = attempts - 1
        where ${fence(lease)}
      `);
      return result.rowCount === 1 ? "held" : stateOf(lease);
    },

    async finish(lease, outcome) {
      const result = await db.execute(sql`
        update lr_tests set status = ${outcome.status}, finished_at = now(), lease_expires_at = null,
          error = ${outcome.status === "failed" ? outcome.error : null},
          result = ${outcome.status === "succeeded" ? JSON.stringify(outcome.result) : null}::jsonb
        where ${fence(lease)}
      `);
      return result.rowCount === 1 ? "held" : stateOf(lease);
    },
  };
}
