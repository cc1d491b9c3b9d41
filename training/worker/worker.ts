/**
 * The worker loop: claim the oldest run, train it, store every epoch with its checkpoint, finish
 * it. Database-free: the store is a RunQueue, the trainer and data loader are passed in.
 *
 * Failure model. A worker that dies leaves a lease that runs out; the next claim resumes the run
 * from its last checkpoint (the store counts the attempt). A trainer error (a corrupt checkpoint,
 * an invalid stored config) fails the run at once: retrying the same input gives the same error.
 * A store error is the worker's problem, not the run's: it stops that run and lets the lease lapse.
 */
import { parseRunConfig, stepsPerEpoch, type RunConfig } from "../config";
import type { Split } from "../data/split";
import { StepDownsampler } from "../stepCurve";
import type { TrainOptions, TrainResult } from "../trainer/types";
import { DataUnavailableError, startLeasedJob, type LeaseStop } from "./leasedJob";
import { errorText, type WorkerLog } from "./log";
import { processLrTest, type LrTestDeps, type LrTestEnd } from "./lrTestJob";
import type { ClaimedRun, LeaseState, RunQueue } from "./queue";

export interface WorkerDeps {
  queue: RunQueue;
  train: (options: TrainOptions) => Promise<TrainResult>;
  /** Loads the run's data; a failure here releases the run and stops the worker. */
  loadData: (config: RunConfig) => Promise<{ train: Split; test: Split }>;
  log: WorkerLog;
  /** When given, the worker also takes LR range tests, before runs (a user is waiting on them). */
  lrTests?: LrTestDeps;
}

export interface WorkerOptions {
  workerId: string;
  /** The tfjs backend in use, recorded on each run. */
  backend: string;
  /** The trainer version (training/version), recorded on each run; results are reused only from the same version. */
  trainerVersion?: string;
  /** How long a claim lasts without a heartbeat. */
  leaseMs?: number;
  /** Heartbeat period: also how quickly a cancel is noticed. */
  heartbeatMs?: number;
  /** Idle wait between empty claims. */
  pollMs?: number;
  /** Handle at most one run, and return at once when none is queued. */
  once?: boolean;
  /** Complete runs that match a succeeded run's config hash and seed by copying it. */
  reuse?: boolean;
  /** Aborting it stops the worker: the current run is checkpointed at a batch boundary and released. */
  signal?: AbortSignal;
}

export type RunEnd = "succeeded" | "diverged" | "failed" | "canceled" | "deleted" | "released" | "paused" | "lost" | "reused";

export interface WorkerReport {
  runs: { runId: string; end: RunEnd }[];
  lrTests?: { testId: string; end: LrTestEnd }[];
}

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_HEARTBEAT_MS = 1_000;
export const DEFAULT_POLL_MS = 1_000;

type StopReason = LeaseStop | "store" | "pause";

export async function runWorker(deps: WorkerDeps, options: WorkerOptions): Promise<WorkerReport> {
  const { queue, log } = deps;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const shutdown = options.signal ?? new AbortController().signal;
  const report: WorkerReport = { runs: [] };

  while (!shutdown.aborted) {
    if (deps.lrTests && (await takeLrTest({ ...deps, lrTests: deps.lrTests }, options, shutdown, report))) {
      if (options.once) break;
      continue;
    }
    let claimed: ClaimedRun | null;
    try {
      claimed = await queue.claim({
        workerId: options.workerId,
        backend: options.backend,
        trainerVersion: options.trainerVersion ?? null,
        leaseMs,
      });
    } catch (error) {
      if (options.once) throw error;
      log.line(`error: claim failed: ${errorText(error)}; retrying in ${pollMs} ms`);
      await sleep(pollMs, shutdown);
      continue;
    }
    if (claimed) {
      let end: RunEnd;
      try {
        end = await processRun(deps, options, claimed, shutdown);
      } catch (error) {
        if (error instanceof DataUnavailableError || options.once) throw error;
        // The store failed mid-way: the run keeps its lease until it lapses, then is retried.
        log.line(`error: run ${claimed.lease.runId}: ${errorText(error)}; it will be retried when its lease lapses`);
        end = "lost";
      }
      report.runs.push({ runId: claimed.lease.runId, end });
    }
    if (options.once) break;
    if (!claimed) await sleep(pollMs, shutdown);
  }
  return report;
}

/** Claims and runs one LR test; false when none was queued (or the claim failed and was logged). */
async function takeLrTest(
  deps: WorkerDeps & { lrTests: LrTestDeps },
  options: WorkerOptions,
  shutdown: AbortSignal,
  report: WorkerReport,
): Promise<boolean> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  let claimed;
  try {
    claimed = await deps.lrTests.queue.claim({ workerId: options.workerId, backend: options.backend, leaseMs });
  } catch (error) {
    if (options.once) throw error;
    deps.log.line(`error: lr test claim failed: ${errorText(error)}`);
    return false;
  }
  if (!claimed) return false;
  const end = await processLrTest(deps, options, claimed, shutdown);
  (report.lrTests ??= []).push({ testId: claimed.lease.testId, end });
  return true;
}

async function processRun(deps: WorkerDeps, options: WorkerOptions, claimed: ClaimedRun, shutdown: AbortSignal): Promise<RunEnd> {
  const { queue, log } = deps;
  const { lease } = claimed;
  const id = lease.runId;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  log.line(`claimed run ${id} (attempt ${lease.attempt}${claimed.reclaimed ? ", its previous worker stopped renewing the lease" : ""})`);

  let config: RunConfig;
  try {
    config = parseRunConfig(claimed.config);
  } catch (error) {
    return fail(`invalid stored config: ${errorText(error)}`);
  }

  if (options.reuse ?? true) {
    const twin = await queue.completeFromTwin(lease);
    if (twin) {
      log.line(`finished run ${id}: succeeded by reusing run ${twin} (same config hash, seed and trainer version)`);
      return "reused";
    }
  }

  const checkpoint = await queue.checkpoint(lease);
  if (checkpoint) {
    const where = checkpoint.midEpoch ? `during epoch ${checkpoint.epoch + 2}` : `after epoch ${checkpoint.epoch + 1}`;
    log.line(`resuming run ${id} from its checkpoint ${where} of ${config.epochs}`);
  }

  const job = startLeasedJob<"store" | "pause">({
    what: `run ${id}`,
    shutdown,
    renew: () => queue.heartbeat(lease, leaseMs),
    renewEveryMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    release: () => queue.release(lease),
    log,
  });
  const data = await job.load(() => deps.loadData(config));

  let lastEpoch = checkpoint?.epoch ?? -1;
  const curve = new StepDownsampler(stepsPerEpoch(config));

  let result: TrainResult;
  try {
    result = await deps.train({
      config,
      data,
      // A tuned comparison's sweep runs choose the lr: they never read the test set.
      evaluateTest: claimed.evaluateTest,
      signal: job.signal,
      ...(checkpoint ? { resume: checkpoint.bytes } : {}),
      onBatch: (p) => {
        curve.add(p.epoch, p.batch - 1, p.lr, p.stepLoss);
        log.progress(`run ${id.slice(0, 8)} epoch ${p.epoch + 1}/${config.epochs}`, p.batch, p.batches);
      },
      // Written even after a shutdown request: the epoch is complete and the lease still ours.
      onEpoch: async ({ metrics, checkpoint: bytes }) => {
        let state: LeaseState;
        try {
          state = await queue.recordEpoch(lease, metrics, bytes, leaseMs, curve.take());
        } catch (error) {
          log.line(`error: storing epoch ${metrics.epoch + 1} of run ${id} failed: ${errorText(error)}`);
          job.stop("store");
          return;
        }
        if (state !== "held") return job.stop(state);
        lastEpoch = metrics.epoch;
        log.line(
          `run ${id} epoch ${metrics.epoch + 1}/${config.epochs} loss ${metrics.loss.toFixed(4)} val_acc ${metrics.valAcc.toFixed(4)} ${Math.round(metrics.imagesPerSec)} img/s`,
        );
        // A successive-halving rung: the epoch and its checkpoint are stored; the run waits for the others.
        if (claimed.pauseAfter !== null && metrics.epoch + 1 >= claimed.pauseAfter && metrics.epoch + 1 < config.epochs) job.stop("pause");
      },
    });
  } catch (error) {
    await job.close();
    if (job.stopReason === "canceled" || job.stopReason === "deleted" || job.stopReason === "lost") return ended(job.stopReason);
    return fail(errorText(error));
  }
  await job.close();
  const stopReason = job.stopReason;

  try {
    if (stopReason === "canceled" || stopReason === "deleted" || stopReason === "lost") return ended(stopReason);
    if (result.outcome === "succeeded") {
      const state = await queue.finish(lease, { status: "succeeded" });
      if (state !== "held") return ended(state);
      log.line(`finished run ${id}: succeeded after ${config.epochs} epochs`);
      return "succeeded";
    }
    if (result.outcome === "diverged") {
      const reason = result.reason ?? "diverged";
      const state = await queue.finish(lease, { status: "diverged", reason });
      if (state !== "held") return ended(state);
      log.line(`finished run ${id}: diverged (${reason})`);
      return "diverged";
    }
    if (stopReason === "pause") {
      const state = await queue.pause(lease);
      if (state !== "held") return ended(state);
      log.line(`paused run ${id} after epoch ${lastEpoch + 1} of ${config.epochs} (a successive-halving rung)`);
      return "paused";
    }
    if (stopReason === "shutdown") {
      const state = await queue.release(lease, result.checkpoint ? { epoch: lastEpoch, bytes: result.checkpoint } : undefined);
      if (state !== "held") return ended(state);
      log.line(`released run ${id} at a batch boundary for another worker (shutting down)`);
      return "released";
    }
    return ended(stopReason ?? "lost");
  } catch (error) {
    log.line(`error: could not store the end of run ${id}: ${errorText(error)}; its lease will lapse and it will be retried`);
    return "lost";
  }

  function ended(state: StopReason): RunEnd {
    if (state === "canceled") {
      log.line(`stopped run ${id}: canceled`);
      return "canceled";
    }
    if (state === "deleted") {
      log.line(`stopped run ${id}: deleted`);
      return "deleted";
    }
    if (state === "store") {
      log.line(`stopped run ${id}: the database is unreachable; its lease will lapse and it will be retried`);
      return "lost";
    }
    log.line(`stopped run ${id}: its lease was taken over by another worker`);
    return "lost";
  }

  async function fail(message: string): Promise<RunEnd> {
    log.line(`error: run ${id} failed: ${message}`);
    try {
      const state = await queue.finish(lease, { status: "failed", error: message });
      return state === "held" ? "failed" : ended(state);
    } catch (error) {
      log.line(`error: could not mark run ${id} failed: ${errorText(error)}`);
      return "lost";
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
