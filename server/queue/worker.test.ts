/**
 * The worker loop's less common paths, against the real queue, with a scripted trainer standing in
 * where the point is how the loop reacts (the real trainer runs in tests/service).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import type { TrainOptions, TrainResult } from "../../training/trainer/types";
import { memoryLog } from "../../training/worker/log";
import { runWorker } from "../../training/worker/worker";
import { createPgRunQueue } from "./pgRunQueue";
import { getRun, submitRun } from "./service";
import { fakeMetrics, tinyConfig } from "./testRuns";

const noData = async () => ({
  train: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 },
  test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 },
});

describe.each(testDbTargets())("worker loop on %s", (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.delete(runs);
  });

  it("stops a run whose lease another worker took over, without writing again", async () => {
    const run = await submitRun(t.db, { config: tinyConfig({ epochs: 3 }) });
    const queue = createPgRunQueue(t.db);
    const log = memoryLog();
    const train = async (options: TrainOptions): Promise<TrainResult> => {
      await options.onEpoch!({ metrics: fakeMetrics(0, 0.2), checkpoint: new Uint8Array([1]) });
      // Meanwhile the lease lapses and a second worker claims the run.
      await t.db.execute(sql`update runs set lease_expires_at = now() - interval '1 second' where id = ${run.id}::uuid`);
      expect(await queue.claim({ workerId: "rescuer", backend: "cpu", leaseMs: 60_000 })).not.toBeNull();
      await options.onEpoch!({ metrics: fakeMetrics(1, 0.4), checkpoint: new Uint8Array([2]) });
      expect(options.signal!.aborted).toBe(true);
      return { outcome: "aborted", epochs: [], checkpoint: new Uint8Array([3]) };
    };
    const report = await runWorker(
      { queue, train, loadData: noData, log },
      { workerId: "w1", backend: "cpu", once: true, heartbeatMs: 60_000 },
    );
    expect(report.runs).toEqual([{ runId: run.id, end: "lost" }]);
    expect(log.lines.at(-1)).toBe(`stopped run ${run.id}: its lease was taken over by another worker`);
    const after = await getRun(t.db, run.id);
    expect(after.run).toMatchObject({ status: "running", workerId: "rescuer", attempts: 2 });
    expect(after.epochs.map((e) => e.epoch)).toEqual([0]);
  });

  it("gives the run back and stops when this machine cannot load the data", async () => {
    const run = await submitRun(t.db, { config: tinyConfig() });
    const log = memoryLog();
    const loadData = async () => {
      throw new Error("no prepared CIFAR-10 cache in /nowhere");
    };
    const train = async (): Promise<TrainResult> => {
      throw new Error("not reached");
    };
    await expect(runWorker({ queue: createPgRunQueue(t.db), train, loadData, log }, { workerId: "w1", backend: "cpu" })).rejects.toThrow(
      "no prepared CIFAR-10 cache",
    );
    const [row] = await t.db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ status: "queued", attempts: 0, workerId: null });
    expect(log.lines.at(-1)).toBe(`error: cannot load data for run ${run.id}: no prepared CIFAR-10 cache in /nowhere; released it`);
  });

  it("survives a store failure mid-run: that run waits for its lease to lapse, the next one runs", async () => {
    const first = await submitRun(t.db, { config: tinyConfig({ seed: 1, epochs: 1 }) });
    const second = await submitRun(t.db, { config: tinyConfig({ seed: 2, epochs: 1 }) });
    const real = createPgRunQueue(t.db);
    let failures = 1;
    const queue = {
      ...real,
      checkpoint: async (lease: Parameters<typeof real.checkpoint>[0]) => {
        if (failures-- > 0) throw new Error("connection terminated unexpectedly");
        return real.checkpoint(lease);
      },
    };
    const shutdown = new AbortController();
    const log = memoryLog();
    const train = async (options: TrainOptions): Promise<TrainResult> => {
      await options.onEpoch!({ metrics: fakeMetrics(0, 0.5), checkpoint: new Uint8Array([1]) });
      shutdown.abort(); // after this run, stop the worker
      return { outcome: "succeeded", epochs: [] };
    };
    const report = await runWorker(
      { queue, train, loadData: noData, log },
      { workerId: "w1", backend: "cpu", pollMs: 10, signal: shutdown.signal },
    );
    expect(report.runs).toEqual([
      { runId: first.id, end: "lost" },
      { runId: second.id, end: "succeeded" },
    ]);
    expect(log.lines).toContain(`error: run ${first.id}: connection terminated unexpectedly; it will be retried when its lease lapses`);
    expect((await getRun(t.db, first.id)).run).toMatchObject({ status: "running", workerId: "w1" });
    expect((await getRun(t.db, second.id)).run).toMatchObject({ status: "succeeded", epochsCompleted: 1 });
  });

  it("fails a run whose stored config no longer validates", async () => {
    const run = await submitRun(t.db, { config: tinyConfig() });
    await t.db
      .update(runs)
      .set({ config: { ...tinyConfig(), batchSize: -1 } })
      .where(eq(runs.id, run.id));
    const log = memoryLog();
    const train = async (): Promise<TrainResult> => {
      throw new Error("not reached");
    };
    const report = await runWorker(
      { queue: createPgRunQueue(t.db), train, loadData: noData, log },
      { workerId: "w1", backend: "cpu", once: true },
    );
    expect(report.runs).toEqual([{ runId: run.id, end: "failed" }]);
    const { run: failed } = await getRun(t.db, run.id);
    expect(failed).toMatchObject({ status: "failed", error: "invalid stored config: batchSize: must be ≥ 1" });
  });

  it("returns at once with --once and an empty queue, and stops idling on shutdown", async () => {
    const queue = createPgRunQueue(t.db);
    const train = async (): Promise<TrainResult> => ({ outcome: "succeeded", epochs: [] });
    expect(await runWorker({ queue, train, loadData: noData, log: memoryLog() }, { workerId: "w1", backend: "cpu", once: true })).toEqual({
      runs: [],
    });
    const shutdown = new AbortController();
    const idle = runWorker(
      { queue, train, loadData: noData, log: memoryLog() },
      { workerId: "w1", backend: "cpu", pollMs: 60_000, signal: shutdown.signal },
    );
    setTimeout(() => shutdown.abort(), 50);
    const started = Date.now();
    expect(await idle).toEqual({ runs: [] });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
