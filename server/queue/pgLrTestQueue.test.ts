/**
 * LR tests through the worker loop and the real queue on both databases: the real range test on
 * CIFAR-10 with the tiny CNN, and scripted ones where the point is a cancel, a takeover or a shutdown.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lrTests, runs, type LrTestRow } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { initNodeBackend } from "../../training/backend/node";
import { parseRunConfig } from "../../training/config";
import { loadCifar10 } from "../../training/data/node";
import type { RangeTestResult } from "../../training/lrFind/rangeTest";
import { lrFind, type LrFindOptions } from "../../training/lrFind/run";
import { testDataDir } from "../../training/testing/dataDir";
import type { TrainOptions } from "../../training/trainer/types";
import { memoryLog } from "../../training/worker/log";
import { runWorker } from "../../training/worker/worker";
import { createPgLrTestQueue } from "./pgLrTestQueue";
import { createPgRunQueue } from "./pgRunQueue";
import { submitRun } from "./service";
import { tinyConfig } from "./testRuns";

let data: TrainOptions["data"];
beforeAll(async () => {
  await initNodeBackend("auto");
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 64, testLimit: 32 });
});

const config = parseRunConfig({ ...tinyConfig({ trainLimit: 64, testLimit: 32 }), seed: 3 });
const settings = { startLr: 1e-4, endLr: 1, numIt: 8 };
const noTraining = () => Promise.reject(new Error("no run should be trained"));

describe.each(testDbTargets())("LR tests on %s", (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.delete(runs);
    await t.db.delete(lrTests);
  });

  const queueTest = async (stored: { config?: unknown; settings?: unknown } = {}): Promise<string> => {
    const [row] = await t.db
      .insert(lrTests)
      .values({ owner: "alice", config: stored.config ?? config, settings: stored.settings ?? settings })
      .returning({ id: lrTests.id });
    return row!.id;
  };
  const row = async (id: string): Promise<LrTestRow> => (await t.db.select().from(lrTests).where(eq(lrTests.id, id)))[0]!;
  const worker = (find: (o: LrFindOptions) => Promise<RangeTestResult>, extra: { heartbeatMs?: number; signal?: AbortSignal } = {}) =>
    runWorker(
      {
        queue: createPgRunQueue(t.db),
        train: noTraining,
        loadData: () => Promise.resolve(data),
        log: memoryLog(),
        lrTests: { queue: createPgLrTestQueue(t.db), find },
      },
      {
        workerId: "w1",
        backend: "cpu",
        once: true,
        heartbeatMs: extra.heartbeatMs ?? 60_000,
        ...(extra.signal ? { signal: extra.signal } : {}),
      },
    );

  it("takes a queued test before an older queued run, runs the real range test and stores its result", async () => {
    const run = await submitRun(t.db, { config: tinyConfig() });
    const id = await queueTest();
    const report = await worker(lrFind);
    expect(report).toEqual({ runs: [], lrTests: [{ testId: id, end: "succeeded" }] });
    expect((await t.db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id)))[0]!.status).toBe("queued");

    const stored = await row(id);
    expect(stored).toMatchObject({ status: "succeeded", attempts: 1, workerId: "w1", backend: "cpu", error: null });
    const result = stored.result as RangeTestResult;
    // fastai's ramp by hand: 1e-4 · (1 / 1e-4)^(i/8) = 10^(-4 + i/2).
    result.lr.forEach((lr, i) => expect(lr).toBeCloseTo(10 ** (-4 + i / 2), 15));
    // Exactly what the runner gives for the same config and settings: the worker adds nothing.
    expect(result).toEqual(await lrFind({ config, train: data.train, settings }));
  });

  it("stops a test canceled while it runs, within the heartbeat, and stores no result", async () => {
    const id = await queueTest();
    const find = async (o: LrFindOptions) => {
      await t.db.update(lrTests).set({ status: "canceled" }).where(eq(lrTests.id, id));
      await new Promise<void>((resolve) => o.signal!.addEventListener("abort", () => resolve()));
      o.signal!.throwIfAborted();
      throw new Error("unreachable");
    };
    expect(await worker(find, { heartbeatMs: 20 })).toEqual({ runs: [], lrTests: [{ testId: id, end: "canceled" }] });
    expect(await row(id)).toMatchObject({ status: "canceled", result: null });
  });

  it("writes nothing once another worker has taken the test over", async () => {
    const id = await queueTest();
    const find = async (o: LrFindOptions) => {
      await t.db.execute(sql`update lr_tests set lease_expires_at = now() - interval '1 second' where id = ${id}::uuid`);
      expect(await createPgLrTestQueue(t.db).claim({ workerId: "rescuer", backend: "cpu", leaseMs: 60_000 })).toMatchObject({
        lease: { testId: id, workerId: "rescuer", attempt: 2 },
        reclaimed: true,
      });
      return lrFind({ ...o, settings: { ...o.settings, numIt: 6 } });
    };
    expect(await worker(find)).toEqual({ runs: [], lrTests: [{ testId: id, end: "lost" }] });
    expect(await row(id)).toMatchObject({ status: "running", workerId: "rescuer", attempts: 2, result: null });
  });

  it("gives the test back, claim returned, when the worker shuts down", async () => {
    const id = await queueTest();
    const shutdown = new AbortController();
    const find = async (o: LrFindOptions) => {
      shutdown.abort();
      o.signal!.throwIfAborted();
      throw new Error("unreachable");
    };
    expect(await worker(find, { signal: shutdown.signal })).toEqual({ runs: [], lrTests: [{ testId: id, end: "released" }] });
    expect(await row(id)).toMatchObject({ status: "queued", workerId: null, attempts: 0, leaseExpiresAt: null });
  });

  it("fails a test with invalid stored settings, naming the field", async () => {
    const id = await queueTest({ settings: { startLr: 1, endLr: 0.1, numIt: 8 } });
    expect(await worker(lrFind)).toEqual({ runs: [], lrTests: [{ testId: id, end: "failed" }] });
    const stored = await row(id);
    expect(stored.status).toBe("failed");
    expect(stored.error).toContain("settings.endLr: must be greater than the start lr");
  });

  it("fails a test whose workers kept dying once it has used its attempts", async () => {
    const id = await queueTest();
    await t.db.execute(
      sql`update lr_tests set status = 'running', attempts = 3, worker_id = 'dead', lease_expires_at = now() - interval '1 second' where id = ${id}::uuid`,
    );
    expect(await createPgLrTestQueue(t.db).claim({ workerId: "w2", backend: "cpu", leaseMs: 60_000 })).toBeNull();
    const stored = await row(id);
    expect(stored.status).toBe("failed");
    expect(stored.error).toBe("gave up after 3 attempts: worker dead stopped renewing its lease");
  });
});
