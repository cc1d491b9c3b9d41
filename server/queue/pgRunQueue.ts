/**
 * The run queue on Postgres (or the embedded PGlite server, through the same `pg` driver).
 * Claims use `FOR UPDATE SKIP LOCKED`; every later write is fenced on (run, worker, attempt, running)
 * so a worker whose lease was taken over can never write again.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { ClaimRequest, ClaimedRun, Finish, Lease, LeaseState, RunQueue, StoredCheckpoint } from "../../training/worker/queue";
import type { EpochMetrics } from "../../training/metrics";
import { refreshLeaderboard, STATICALLY_ELIGIBLE } from "../leaderboard/refresh";
import { copyEpochSteps, writeEpochSteps } from "./stepCurves";
import { advanceTuning, advanceTuningsOf } from "./tunings";
import { summaryAssignments, targetAssignments } from "./summary";

export interface PgRunQueueOptions {
  /** Claims a run may have; one more lost lease after that fails it. */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Reuse may copy only results the submitter of `r` could read anyway: their own runs, or runs in
 * public comparisons (a private or unlisted run's results are its owner's).
 */
const donorReadableBySubmitter = sql`(d.owner = r.owner or exists (
  select 1 from comparisons c where c.id = d.comparison_id and c.visibility = 'public'))`;

const fence = (lease: Lease) =>
  sql`id = ${lease.runId}::uuid and worker_id = ${lease.workerId} and attempts = ${lease.attempt} and status = 'running'`;

export function createPgRunQueue(db: Db, options: PgRunQueueOptions = {}): RunQueue {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  /** Why a fenced write matched no row. */
  async function stateOf(lease: Lease): Promise<LeaseState> {
    const { rows } = await db.execute<{ status: string; worker_id: string | null; attempts: number }>(
      sql`select status, worker_id, attempts from runs where id = ${lease.runId}::uuid`,
    );
    const row = rows[0];
    if (!row) return "deleted";
    if (row.status === "canceled") return "canceled";
    if (row.status === "running" && row.worker_id === lease.workerId && row.attempts === lease.attempt) return "held";
    return "lost";
  }

  return {
    async claim({ workerId, backend, trainerVersion = null, leaseMs }: ClaimRequest): Promise<ClaimedRun | null> {
      // One transaction: fail runs that ran out of attempts (and refresh their leaderboard rows),
      // then take the oldest claimable run of the owner with the fewest running runs, so one
      // user's long queue cannot starve everyone else's.
      const rows = await db.transaction(async (tx) => {
        const exhausted = await tx.execute<{ id: string; config_hash: string; eligible: boolean }>(sql`
          update runs set
            status = 'failed',
            error = concat_ws(E'\n', error, 'gave up after ' || attempts || ' attempts: worker ' || coalesce(worker_id, '?') || ' stopped renewing its lease'),
            finished_at = now(),
            lease_expires_at = null,
            ${summaryAssignments(sql`runs.id`)},
            ${targetAssignments(sql`runs.id`)}
          where status = 'running' and lease_expires_at < now() and attempts >= ${maxAttempts}
          returning id, config_hash, ${STATICALLY_ELIGIBLE} as eligible
        `);
        await refreshLeaderboard(
          tx,
          exhausted.rows.filter((r) => r.eligible).map((r) => r.config_hash),
        );
        await advanceTuningsOf(
          tx,
          exhausted.rows.map((r) => r.id),
        );
        const claimed = await tx.execute<{
          id: string;
          config: unknown;
          attempts: number;
          epochs_completed: number;
          reclaimed: boolean;
          tuning_role: string | null;
          pause_after: number | null;
        }>(sql`
        with busy as (
          select owner, count(*) as n from runs where status = 'running' and lease_expires_at >= now() group by owner
        ),
        next as (
          select q.id, q.status = 'running' as reclaimed from runs q left join busy on busy.owner = q.owner
          -- a sweep run paused at a rung waits for its tuning (server/queue/tunings.ts) to move the rung on
          where (q.status = 'queued' and (q.pause_after is null or q.epochs_completed < q.pause_after))
            or (q.status = 'running' and q.lease_expires_at < now() and q.attempts < ${maxAttempts})
          order by coalesce(busy.n, 0), q.created_at, q.id
          limit 1
          for update of q skip locked
        )
        update runs r set
          status = 'running',
          worker_id = ${workerId},
          attempts = r.attempts + 1,
          lease_expires_at = now() + ${leaseMs}::int * interval '1 millisecond',
          heartbeat_at = now(),
          started_at = coalesce(r.started_at, now()),
          backend = ${backend},
          trainer_version = ${trainerVersion}
        from next
        where r.id = next.id
        returning r.id, r.config, r.attempts, r.epochs_completed, next.reclaimed, r.tuning_role, r.pause_after
      `);
        return claimed.rows;
      });
      const row = rows[0];
      if (!row) return null;
      return {
        lease: { runId: row.id, workerId, attempt: row.attempts },
        config: row.config,
        epochsCompleted: row.epochs_completed,
        reclaimed: row.reclaimed,
        evaluateTest: row.tuning_role !== "sweep",
        pauseAfter: row.pause_after,
      };
    },

    async completeFromTwin(lease) {
      return db.transaction(async (tx) => {
        // Only a run with no progress of its own (its rows must all come from one place), and only
        // from the same numerics: the claim recorded this worker's trainer version on the run. Never a
        // tuning's sweep run either way: those measure no test set, and their copies would not be theirs.
        const { rows } = await tx.execute<{ donor: string; backend: string | null }>(sql`
          select d.id as donor, d.backend from runs r
          join runs d on d.config_hash = r.config_hash and d.seed = r.seed and d.status = 'succeeded' and d.kind = 'full' and d.id <> r.id
            and d.trainer_version = r.trainer_version
          where r.id = ${lease.runId}::uuid and r.epochs_completed = 0 and ${donorReadableBySubmitter}
            and r.tuning_role is distinct from 'sweep' and d.tuning_role is distinct from 'sweep'
            and not exists (select 1 from checkpoints c where c.run_id = r.id)
          order by d.finished_at, d.id
          limit 1
        `);
        const twin = rows[0];
        if (!twin) return null;
        const done = await tx.execute(sql`
          update runs set status = 'succeeded', reused_from = ${twin.donor}::uuid, backend = ${twin.backend},
            finished_at = now(), lease_expires_at = null
          where ${fence(lease)}
        `);
        if (done.rowCount !== 1) return null; // the lease was lost meanwhile: the run is its new owner's
        await tx.execute(sql`
          insert into epoch_metrics (run_id, epoch, lr, loss, acc, val_loss, val_acc, test_loss, test_acc, seconds, images_per_sec)
          select ${lease.runId}::uuid, epoch, lr, loss, acc, val_loss, val_acc, test_loss, test_acc, seconds, images_per_sec
          from epoch_metrics where run_id = ${twin.donor}::uuid
        `);
        await copyEpochSteps(tx, twin.donor, lease.runId);
        const copied = await tx.execute<{ config_hash: string; eligible: boolean }>(sql`
          update runs set ${summaryAssignments(lease.runId)}, ${targetAssignments(lease.runId)} where id = ${lease.runId}::uuid
          returning config_hash, ${STATICALLY_ELIGIBLE} as eligible
        `);
        await refreshLeaderboard(
          tx,
          copied.rows.filter((r) => r.eligible).map((r) => r.config_hash),
        );
        return twin.donor;
      });
    },

    async checkpoint(lease): Promise<StoredCheckpoint | null> {
      const { rows } = await db.execute<{ epoch: number; mid_epoch: boolean; bytes: Buffer }>(
        sql`select epoch, mid_epoch, bytes from checkpoints where run_id = ${lease.runId}::uuid`,
      );
      const row = rows[0];
      if (!row) return null;
      return {
        epoch: row.epoch,
        midEpoch: row.mid_epoch,
        bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
      };
    },

    async heartbeat(lease, leaseMs) {
      const result = await db.execute(sql`
        update runs set heartbeat_at = now(), lease_expires_at = now() + ${leaseMs}::int * interval '1 millisecond'
        where ${fence(lease)}
      `);
      return result.rowCount === 1 ? "held" : stateOf(lease);
    },

    async recordEpoch(lease, metrics: EpochMetrics, checkpoint, leaseMs, steps = []) {
      const held = await db.transaction(async (tx) => {
        // The fence first: on Postgres it also locks the row against a concurrent reclaim.
        const owned = await tx.execute(sql`
          update runs set heartbeat_at = now(), lease_expires_at = now() + ${leaseMs}::int * interval '1 millisecond'
          where ${fence(lease)}
        `);
        if (owned.rowCount !== 1) return false;
        const m = metrics;
        // A resumed attempt recomputes an epoch only if its row was never committed, so this
        // conflict cannot normally happen; overwriting keeps exactly one row per epoch regardless.
        await tx.execute(sql`
          insert into epoch_metrics (run_id, epoch, lr, loss, acc, val_loss, val_acc, test_loss, test_acc, seconds, images_per_sec)
          values (${lease.runId}::uuid, ${m.epoch}, ${m.lr}, ${m.loss}, ${m.acc}, ${m.valLoss}, ${m.valAcc}, ${m.testLoss ?? null}, ${m.testAcc ?? null},
            ${m.seconds}, ${m.imagesPerSec})
          on conflict (run_id, epoch) do update set lr = excluded.lr, loss = excluded.loss, acc = excluded.acc,
            val_loss = excluded.val_loss, val_acc = excluded.val_acc, test_loss = excluded.test_loss, test_acc = excluded.test_acc, seconds = excluded.seconds, images_per_sec = excluded.images_per_sec
        `);
        await writeEpochSteps(tx, lease.runId, m.epoch, steps);
        await upsertCheckpoint(tx, lease.runId, m.epoch, false, checkpoint);
        await tx.execute(sql`update runs set ${summaryAssignments(lease.runId)} where id = ${lease.runId}::uuid`);
        return true;
      });
      return held ? "held" : stateOf(lease);
    },

    async release(lease, checkpoint) {
      const held = await db.transaction(async (tx) => {
        // Giving the run back is not a failed try: its claim is returned.
        const released = await tx.execute(sql`
          update runs set status = 'queued', worker_id = null, lease_expires_at = null, attempts = attempts - 1
          where ${fence(lease)}
        `);
        if (released.rowCount !== 1) return false;
        if (checkpoint) await upsertCheckpoint(tx, lease.runId, checkpoint.epoch, true, checkpoint.bytes);
        return true;
      });
      return held ? "held" : stateOf(lease);
    },

    async pause(lease) {
      const held = await db.transaction(async (tx) => {
        // Like a release (the claim is given back), but only at the rung: then the claim query skips it.
        const paused = await tx.execute<{ tuning_id: string | null }>(sql`
          update runs set status = 'queued', worker_id = null, lease_expires_at = null, attempts = attempts - 1
          where ${fence(lease)} and pause_after is not null and epochs_completed >= pause_after
          returning tuning_id
        `);
        if (paused.rowCount !== 1) return false;
        const tuningId = paused.rows[0]!.tuning_id;
        if (tuningId) await advanceTuning(tx, tuningId);
        return true;
      });
      return held ? "held" : stateOf(lease);
    },

    async finish(lease, outcome: Finish) {
      const error = outcome.status === "diverged" ? outcome.reason : outcome.status === "failed" ? outcome.error : null;
      // The run's summary, its epochs to each target, and its config's leaderboard row, at once.
      const held = await db.transaction(async (tx) => {
        const result = await tx.execute<{ config_hash: string; eligible: boolean; tuning_id: string | null }>(sql`
          update runs set status = ${outcome.status}, error = ${error}, finished_at = now(), lease_expires_at = null,
            ${summaryAssignments(lease.runId)},
            ${targetAssignments(lease.runId)}
          where ${fence(lease)}
          returning config_hash, ${STATICALLY_ELIGIBLE} as eligible, tuning_id
        `);
        if (result.rowCount !== 1) return false;
        await refreshLeaderboard(
          tx,
          result.rows.filter((r) => r.eligible).map((r) => r.config_hash),
        );
        const tuningId = result.rows[0]!.tuning_id;
        if (tuningId) await advanceTuning(tx, tuningId);
        return true;
      });
      return held ? "held" : stateOf(lease);
    },
  };
}

type Executor = Pick<Db, "execute">;

async function upsertCheckpoint(tx: Executor, runId: string, epoch: number, midEpoch: boolean, bytes: Uint8Array): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await tx.execute(sql`
    insert into checkpoints (run_id, epoch, mid_epoch, bytes, created_at) values (${runId}::uuid, ${epoch}, ${midEpoch}, ${buffer}, now())
    on conflict (run_id) do update set epoch = excluded.epoch, mid_epoch = excluded.mid_epoch, bytes = excluded.bytes, created_at = excluded.created_at
  `);
}
