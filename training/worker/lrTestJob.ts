/**
 * The worker's second job kind: one LR range test (training/lrFind) under a lease, as runWorker
 * handles a run. No checkpoints: a test given back or taken over starts again from fresh weights.
 */
import { parseRunConfig, type RunConfig } from "../config";
import { parseOrThrow } from "../errors";
import type { ClaimedLrTest, LrTestFinish, LrTestQueue } from "../lrFind/queue";
import { lrFindSettingsSchema, type LrFindSettings, type RangeTestResult } from "../lrFind/rangeTest";
import type { LrFindOptions } from "../lrFind/run";
import { errorText } from "./log";
import type { LeaseState } from "./queue";
import {
  DataUnavailableError,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LEASE_MS,
  startHeartbeat,
  type WorkerDeps,
  type WorkerOptions,
} from "./worker";

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

  const controller = new AbortController();
  let stopReason: Exclude<LeaseState, "held"> | "shutdown" | null = null;
  const stop = (reason: NonNullable<typeof stopReason>) => {
    stopReason ??= reason;
    controller.abort(new Error(reason));
  };
  const onShutdown = () => stop("shutdown");
  if (shutdown.aborted) onShutdown();
  shutdown.addEventListener("abort", onShutdown);
  const heartbeat = startHeartbeat(
    () => queue.heartbeat(lease, leaseMs),
    options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    (state) => stop(state),
    (error) => log.line(`error: heartbeat for lr test ${id} failed: ${errorText(error)}`),
  );
  const cleanUp = async () => {
    await heartbeat.stop();
    shutdown.removeEventListener("abort", onShutdown);
  };

  let result: RangeTestResult;
  try {
    let data: Awaited<ReturnType<WorkerDeps["loadData"]>>;
    try {
      data = await deps.loadData(config);
    } catch (error) {
      await cleanUp();
      await queue.release(lease).catch(() => {});
      log.line(`error: cannot load data for lr test ${id}: ${errorText(error)}; released it`);
      throw new DataUnavailableError(errorText(error), { cause: error });
    }
    result = await deps.lrTests.find({
      config,
      train: data.train,
      settings,
      signal: controller.signal,
      onIteration: (p) => log.progress(`lr test ${id.slice(0, 8)}`, p.iteration + 1, p.numIt),
    });
  } catch (error) {
    if (error instanceof DataUnavailableError) throw error;
    await cleanUp();
    if (stopReason) return ended(stopReason);
    return finish({ status: "failed", error: errorText(error) });
  }
  await cleanUp();
  if (stopReason === "canceled" || stopReason === "lost") return ended(stopReason);
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

  async function ended(state: NonNullable<typeof stopReason>): Promise<LrTestEnd> {
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
