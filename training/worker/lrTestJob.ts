/**
 * The worker's second job kind: one LR range test (training/lrFind) under a lease, as runWorker
 * handles a run. No checkpoints: a test given back or taken over starts again from fresh weights.
 */
import { parseRunConfig, type RunConfig } from "../config";
import { parseOrThrow } from "../errors";
import type { ClaimedLrTest, LrTestFinish, LrTestQueue } from "../lrFind/queue";
import { lrFindSettingsSchema, type LrFindSettings, type RangeTestResult } from "../lrFind/rangeTest";
import type { LrFindOptions } from "../lrFind/run";
import { DataUnavailableError, startLeasedJob, type LeaseStop } from "./leasedJob";
import { errorText } from "./log";
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS, type WorkerDeps, type WorkerOptions } from "./worker";

export interface LrTestDeps {
  queue: LrTestQueue;
  /** training/lrFind/run.ts `lrFind`; passed in so that tests may script it. */
  find: (options: LrFindOptions) => Promise<RangeTestResult>;
}

export type LrTestEnd = "succeeded" | "failed" | "canceled" | "released" | "lost";

export async function processLrTest(
  deps: Pick<WorkerDeps, "loadData" | "log"> & { lrTests: LrTestDeps },
  options: WorkerOptions,
  claimed: ClaimedLrTest,
  shutdown: AbortSignal,
): Promise<LrTestEnd> {
  const { log } = deps;
  const { queue } = deps.lrTests;
  const { lease } = claimed;
  const id = lease.testId;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  log.line(
    `claimed lr test ${id} (attempt ${lease.attempt}${claimed.reclaimed ? ", its previous worker stopped renewing the lease" : ""})`,
  );

  let config: RunConfig;
  let settings: LrFindSettings;
  try {
    config = parseRunConfig(claimed.config);
    settings = parseOrThrow(lrFindSettingsSchema, claimed.settings, ["settings"]);
  } catch (error) {
    return finish({ status: "failed", error: `invalid stored test: ${errorText(error)}` });
  }

  const job = startLeasedJob({
    what: `lr test ${id}`,
    shutdown,
    renew: () => queue.heartbeat(lease, leaseMs),
    renewEveryMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    release: () => queue.release(lease),
    log,
  });

  let result: RangeTestResult;
  try {
    const data = await job.load(() => deps.loadData(config));
    result = await deps.lrTests.find({
      config,
      train: data.train,
      settings,
      signal: job.signal,
      onIteration: (p) => log.progress(`lr test ${id.slice(0, 8)}`, p.iteration + 1, p.numIt),
    });
  } catch (error) {
    if (error instanceof DataUnavailableError) throw error;
    await job.close();
    if (job.stopReason) return ended(job.stopReason);
    return finish({ status: "failed", error: errorText(error) });
  }
  await job.close();
  if (job.stopReason === "canceled" || job.stopReason === "lost") return ended(job.stopReason);
  return finish({ status: "succeeded", result });

  async function finish(outcome: LrTestFinish): Promise<LrTestEnd> {
    if (outcome.status === "failed") log.line(`error: lr test ${id} failed: ${outcome.error}`);
    try {
      const state = await queue.finish(lease, outcome);
      if (state !== "held") return await ended(state);
    } catch (error) {
      log.line(`error: could not store the end of lr test ${id}: ${errorText(error)}; its lease will lapse and it will be retried`);
      return "lost";
    }
    if (outcome.status === "succeeded") log.line(`finished lr test ${id}: ${outcome.result.lr.length} iterations`);
    return outcome.status;
  }

  async function ended(state: LeaseStop): Promise<LrTestEnd> {
    if (state === "shutdown") {
      const released = await queue.release(lease).catch(() => "lost" as const);
      if (released === "held") {
        log.line(`released lr test ${id} for another worker (shutting down)`);
        return "released";
      }
      state = released;
    }
    // Lr tests belong to no comparison, so "deleted" cannot happen; were it reported, it means the test is gone.
    if (state === "deleted") state = "canceled";
    log.line(
      state === "canceled" ? `stopped lr test ${id}: canceled` : `stopped lr test ${id}: its lease was taken over by another worker`,
    );
    return state;
  }
}
