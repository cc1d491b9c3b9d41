/**
 * What the worker loop needs from an LR-test store: the run queue's claim, lease and fence rules
 * (training/worker/queue.ts) for the other job kind. server/queue/pgLrTestQueue.ts implements it.
 */
import type { ClaimRequest, LeaseState } from "../worker/queue";
import type { RangeTestResult } from "./rangeTest";

export interface LrTestLease {
  testId: string;
  workerId: string;
  /** The test's `attempts` after this claim: the fencing token. */
  attempt: number;
}

export interface ClaimedLrTest {
  lease: LrTestLease;
  /** The stored run config and ramp settings, re-validated by the worker. */
  config: unknown;
  settings: unknown;
  /** True when an earlier worker's lease ran out and this claim took the test over. */
  reclaimed: boolean;
}

export type LrTestFinish = { status: "succeeded"; result: RangeTestResult } | { status: "failed"; error: string };

export interface LrTestQueue {
  /** Takes the oldest claimable test (queued, or running with an expired lease), or null. */
  claim(request: ClaimRequest): Promise<ClaimedLrTest | null>;
  /** Extends the lease; also how a worker learns of a cancel. */
  heartbeat(lease: LrTestLease, leaseMs: number): Promise<LeaseState>;
  /** Gives the test back to the queue (shutdown); it starts over, as nothing it trained is kept. */
  release(lease: LrTestLease): Promise<LeaseState>;
  finish(lease: LrTestLease, outcome: LrTestFinish): Promise<LeaseState>;
}
