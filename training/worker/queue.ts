/**
 * What the worker loop needs from a run store. It lives here, free of any database import, because
 * training/ also runs in the browser; server/queue implements it on Postgres/PGlite.
 *
 * Every write names the lease it holds (run, worker, attempt): a write under a lease that has since
 * expired and been taken by another worker, or whose run was canceled, changes nothing and says so.
 */
import type { EpochMetrics } from "../metrics";
import type { StepPoint } from "../stepCurve";

export interface Lease {
  runId: string;
  workerId: string;
  /** The run's `attempts` after this claim: the fencing token. */
  attempt: number;
}

export interface ClaimedRun {
  lease: Lease;
  /** The stored config, re-validated by the worker before training. */
  config: unknown;
  /** Epoch rows already stored by earlier attempts. */
  epochsCompleted: number;
  /** True when an earlier worker's lease ran out (it died) and this claim took the run over. */
  reclaimed: boolean;
  /** False for a tuned comparison's sweep runs: they choose the lr, so they must never read the test set. */
  evaluateTest: boolean;
  /** Stop after this many epochs and hand the run back with `pause` (successive halving); null: train to the end. */
  pauseAfter: number | null;
}

export interface StoredCheckpoint {
  /** The last completed epoch (0-based) before it; -1 when none. */
  epoch: number;
  midEpoch: boolean;
  bytes: Uint8Array;
}

/**
 * `held`: the write happened. `canceled`: the run was canceled. `deleted`: the run is gone (its
 * comparison was deleted). `lost`: another worker owns the run now.
 */
export type LeaseState = "held" | "canceled" | "deleted" | "lost";

export type Finish = { status: "succeeded" } | { status: "diverged"; reason: string } | { status: "failed"; error: string };

export interface ClaimRequest {
  workerId: string;
  backend: string;
  /** The worker's trainer version (training/version), recorded on the run; null when unknown (then nothing is reused). */
  trainerVersion?: string | null;
  leaseMs: number;
}

export interface RunQueue {
  /** Takes a claimable run (queued, or running with an expired lease): the oldest of the owner with the fewest running runs; or null. */
  claim(request: ClaimRequest): Promise<ClaimedRun | null>;
  /** Completes the run by copying a succeeded run with the same config hash, seed and trainer version; returns that run's id. */
  completeFromTwin(lease: Lease): Promise<string | null>;
  checkpoint(lease: Lease): Promise<StoredCheckpoint | null>;
  /** Extends the lease; also how a worker learns of a cancel. */
  heartbeat(lease: Lease, leaseMs: number): Promise<LeaseState>;
  /** One epoch's metrics, its downsampled per-step curve and the checkpoint after it, stored together or not at all. */
  recordEpoch(
    lease: Lease,
    metrics: EpochMetrics,
    checkpoint: Uint8Array,
    leaseMs: number,
    steps?: readonly StepPoint[],
  ): Promise<LeaseState>;
  /** Gives the run back to the queue (shutdown), keeping a mid-epoch checkpoint when given. */
  release(lease: Lease, checkpoint?: { epoch: number; bytes: Uint8Array }): Promise<LeaseState>;
  finish(lease: Lease, outcome: Finish): Promise<LeaseState>;
  /** Hands back a run that reached its `pauseAfter` epochs; its stored checkpoint is where it resumes once its tuning lets it go on. */
  pause(lease: Lease): Promise<LeaseState>;
}
