import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDbClient } from "../../db/client";
import { checkpoints, comparisons, epochMetrics, runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { createPgRunQueue } from "./pgRunQueue";
import { cancelRun, getRun, submitRun } from "./service";
import { fakeMetrics, tinyConfig } from "./testRuns";

const LEASE = 30_000;
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDbTargets())("run queue on %s", (target) => {
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

  const claim = (workerId: string, leaseMs = LEASE, maxAttempts?: number, trainerVersion: string | null = "cpu-0123456789ab") =>
    createPgRunQueue(t.db, maxAttempts ? { maxAttempts } : {}).claim({ workerId, backend: "cpu", trainerVersion, leaseMs });

  it("claims the oldest queued run, then none", async () => {
    const first = await submitRun(t.db, { config: tinyConfig({ seed: 1 }) });
    await submitRun(t.db, { config: tinyConfig({ seed: 2 }) });
    const a = await claim("w1");
    const b = await claim("w2");
    expect(a?.lease).toEqual({ runId: first.id, workerId: "w1", attempt: 1 });
    expect(b?.lease.runId).not.toBe(first.id);
    expect(await claim("w3")).toBeNull();
    const [row] = await t.db.select().from(runs).where(eq(runs.id, first.id));
    expect(row).toMatchObject({ status: "running", workerId: "w1", attempts: 1, backend: "cpu" });
    expect(row!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + LEASE / 2);
  });

  it("shares workers between owners: the oldest run of the owner with the fewest running runs goes next", async () => {
    const submit = async (owner: string, seed: number) => (await submitRun(t.db, { config: tinyConfig({ seed }), owner })).id;
    const a = [await submit("alice", 1), await submit("alice", 2), await submit("alice", 3)];
    const b = [await submit("bob", 4), await submit("bob", 5)];
    const c = [await submit("carol", 6)];
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push((await claim(`w${i}`))!.lease.runId);
    expect(order).toEqual([a[0], b[0], c[0], a[1], b[1], a[2]]);
    // Running counts, not age, come first: bob (2 running) goes before alice (3) though her run is older.
    const later = [await submit("alice", 7), await submit("bob", 8)];
    expect((await claim("w6"))!.lease.runId).toBe(later[1]);
  });

  it("records epochs with their checkpoint and finishes with summary columns", async () => {
    const run = await submitRun(t.db, { config: tinyConfig({ epochs: 3 }) });
    const queue = createPgRunQueue(t.db);
    const { lease } = (await claim("w1"))!;
    expect(await queue.recordEpoch(lease, fakeMetrics(0, 0.3), bytes(1000, 1), LEASE)).toBe("held");
    expect(await queue.recordEpoch(lease, fakeMetrics(1, 0.5), bytes(2000, 2), LEASE)).toBe("held");
    expect(await queue.recordEpoch(lease, fakeMetrics(2, 0.4), bytes(3000, 3), LEASE)).toBe("held");
    const cp = await queue.checkpoint(lease);
    expect(cp).toMatchObject({ epoch: 2, midEpoch: false });
    expect(cp!.bytes).toEqual(bytes(3000, 3));
    expect(await t.db.$count(checkpoints)).toBe(1); // only the latest is kept
    expect(await queue.finish(lease, { status: "succeeded" })).toBe("held");
    const { run: done, epochs } = await getRun(t.db, run.id);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(epochs.map((e) => [e.valAcc, e.testAcc])).toEqual([
      [0.3, 0.3 - 0.05],
      [0.5, 0.5 - 0.05],
      [0.4, 0.4 - 0.05],
    ]);
    expect(done).toMatchObject({
      status: "succeeded",
      epochsCompleted: 3,
      finalValAcc: 0.4,
      bestValAcc: 0.5,
      bestEpoch: 1,
      finalLoss: fakeMetrics(2, 0.4).loss,
      leaseExpiresAt: null,
      error: null,
    });
    expect(done.trainSeconds).toBeCloseTo(4.5);
    expect(done.finishedAt).toBeInstanceOf(Date);
  });

  it("writes an epoch at most once however often it is recorded", async () => {
    await submitRun(t.db, { config: tinyConfig() });
    const queue = createPgRunQueue(t.db);
    const { lease } = (await claim("w1"))!;
    await queue.recordEpoch(lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE);
    await queue.recordEpoch(lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE);
    expect(await t.db.$count(epochMetrics)).toBe(1);
  });

  it("records diverged runs with their reason", async () => {
    const run = await submitRun(t.db, { config: tinyConfig() });
    const queue = createPgRunQueue(t.db);
    const { lease } = (await claim("w1"))!;
    await queue.recordEpoch(lease, fakeMetrics(0, 0.1), bytes(10, 1), LEASE);
    await queue.finish(lease, { status: "diverged", reason: "loss is NaN at epoch 1, batch 3" });
    const { run: done } = await getRun(t.db, run.id);
    expect(done).toMatchObject({ status: "diverged", error: "loss is NaN at epoch 1, batch 3", epochsCompleted: 1, finalValAcc: 0.1 });
  });

  it("reclaims an expired lease, fences the old worker out, and fails after 3 attempts", async () => {
    const run = await submitRun(t.db, { config: tinyConfig() });
    const queue = createPgRunQueue(t.db);
    const first = (await claim("w1", 50))!;
    expect(await claim("w2", 50)).toBeNull(); // lease still held
    await sleep(120);
    const second = (await claim("w2", 50))!;
    expect(second).toMatchObject({ reclaimed: true, lease: { runId: run.id, workerId: "w2", attempt: 2 } });
    // The first worker is a zombie now: none of its writes land.
    expect(await queue.recordEpoch(first.lease, fakeMetrics(0, 0.9), bytes(10, 9), LEASE)).toBe("lost");
    expect(await queue.heartbeat(first.lease, LEASE)).toBe("lost");
    expect(await queue.finish(first.lease, { status: "succeeded" })).toBe("lost");
    expect(await t.db.$count(epochMetrics)).toBe(0);
    await sleep(120);
    expect((await claim("w3", 50))!.lease.attempt).toBe(3);
    await sleep(120);
    expect(await claim("w4", 50)).toBeNull();
    const { run: failed } = await getRun(t.db, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatch(/gave up after 3 attempts: worker w3 stopped renewing its lease/);
  });

  it("hands a released run back with its mid-epoch checkpoint and without using up an attempt", async () => {
    const run = await submitRun(t.db, { config: tinyConfig() });
    const queue = createPgRunQueue(t.db);
    const { lease } = (await claim("w1"))!;
    await queue.recordEpoch(lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE);
    expect(await queue.release(lease, { epoch: 0, bytes: bytes(20, 7) })).toBe("held");
    const [row] = await t.db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ status: "queued", workerId: null, attempts: 0, epochsCompleted: 1 });
    const again = (await claim("w2"))!;
    expect(again).toMatchObject({ reclaimed: false, epochsCompleted: 1, lease: { attempt: 1 } });
    expect(await queue.checkpoint(again.lease)).toEqual({ epoch: 0, midEpoch: true, bytes: bytes(20, 7) });
  });

  it("cancels queued and running runs; the worker learns it and can no longer write", async () => {
    const queued = await submitRun(t.db, { config: tinyConfig({ seed: 1 }) });
    expect((await cancelRun(t.db, queued.id)).canceled).toBe(true);
    const running = await submitRun(t.db, { config: tinyConfig({ seed: 2 }) });
    const queue = createPgRunQueue(t.db);
    const { lease } = (await claim("w1"))!;
    expect(lease.runId).toBe(running.id); // the canceled one is not claimable
    await queue.recordEpoch(lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE);
    const { run, canceled } = await cancelRun(t.db, running.id);
    expect(canceled).toBe(true);
    expect(run).toMatchObject({ status: "canceled", epochsCompleted: 1, finalValAcc: 0.3 });
    expect(await queue.heartbeat(lease, LEASE)).toBe("canceled");
    expect(await queue.recordEpoch(lease, fakeMetrics(1, 0.5), bytes(10, 1), LEASE)).toBe("canceled");
    expect(await queue.finish(lease, { status: "succeeded" })).toBe("canceled");
    expect(await t.db.$count(epochMetrics)).toBe(1);
    expect((await getRun(t.db, running.id)).run.status).toBe("canceled");
    expect((await cancelRun(t.db, running.id)).canceled).toBe(false);
  });

  it("completes a run by copying a succeeded run with the same config hash and seed", async () => {
    const queue = createPgRunQueue(t.db);
    const donor = await submitRun(t.db, { config: tinyConfig({ seed: 5 }) });
    const d = (await claim("w1"))!;
    const point = (epoch: number) => ({ epoch, step: 8 * epoch, lr: 0.01, lrMin: 0.005, lrMax: 0.01, loss: 2 - epoch });
    await queue.recordEpoch(d.lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE, [point(0)]);
    await queue.recordEpoch(d.lease, fakeMetrics(1, 0.6), bytes(10, 1), LEASE, [point(1)]);
    await queue.finish(d.lease, { status: "succeeded" });
    const otherSeed = await submitRun(t.db, { config: tinyConfig({ seed: 6 }) });
    const twin = await submitRun(t.db, { config: tinyConfig({ seed: 5 }) });
    const o = (await claim("w2"))!;
    expect(o.lease.runId).toBe(otherSeed.id);
    expect(await queue.completeFromTwin(o.lease)).toBeNull();
    const tw = (await claim("w2"))!;
    expect(await queue.completeFromTwin(tw.lease)).toBe(donor.id);
    const copied = await getRun(t.db, twin.id);
    const original = await getRun(t.db, donor.id);
    expect(copied.run).toMatchObject({ status: "succeeded", reusedFrom: donor.id, epochsCompleted: 2, finalValAcc: 0.6, bestValAcc: 0.6 });
    expect(copied.epochs.map(({ runId: _, ...m }) => m)).toEqual(original.epochs.map(({ runId: _, ...m }) => m));
    expect(copied.steps).toEqual({
      epoch: [0, 1],
      step: [0, 8],
      lr: [0.01, 0.01],
      lrMin: [0.005, 0.005],
      lrMax: [0.01, 0.01],
      loss: [2, 1],
    });
  });

  it("records the claiming worker's trainer version and copies results only from the same version", async () => {
    const queue = createPgRunQueue(t.db);
    const donor = await submitRun(t.db, { config: tinyConfig({ seed: 8 }) });
    const d = (await claim("w1", LEASE, undefined, "wasm-aaaaaaaaaaaa"))!;
    await queue.recordEpoch(d.lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE);
    await queue.finish(d.lease, { status: "succeeded" });
    expect((await getRun(t.db, donor.id)).run.trainerVersion).toBe("wasm-aaaaaaaaaaaa");

    const twin = await submitRun(t.db, { config: tinyConfig({ seed: 8 }) });
    // Another version (a kernel changed), or a worker that does not know its version: no copy.
    const other = (await claim("w2", LEASE, undefined, "wasm-bbbbbbbbbbbb"))!;
    expect(other.lease.runId).toBe(twin.id);
    expect(await queue.completeFromTwin(other.lease)).toBeNull();
    expect((await getRun(t.db, twin.id)).run).toMatchObject({ status: "running", trainerVersion: "wasm-bbbbbbbbbbbb", reusedFrom: null });
    await queue.release(other.lease);
    const unknown = (await claim("w3", LEASE, undefined, null))!;
    expect(unknown.lease.runId).toBe(twin.id);
    expect(await queue.completeFromTwin(unknown.lease)).toBeNull();
    await queue.release(unknown.lease);
    // The same version: copied.
    const same = (await claim("w4", LEASE, undefined, "wasm-aaaaaaaaaaaa"))!;
    expect(await queue.completeFromTwin(same.lease)).toBe(donor.id);
    expect((await getRun(t.db, twin.id)).run).toMatchObject({
      status: "succeeded",
      reusedFrom: donor.id,
      trainerVersion: "wasm-aaaaaaaaaaaa",
    });
  });

  it("copies only results the submitter may read: their own runs or runs in public comparisons", async () => {
    const queue = createPgRunQueue(t.db);
    const comparison = async (owner: string, visibility: "public" | "unlisted" | "private") => {
      const [row] = await t.db
        .insert(comparisons)
        .values({ owner, title: visibility, visibility, shareSlug: `${owner}${visibility}`.slice(0, 10) })
        .returning();
      return row!.id;
    };
    const succeed = async (comparisonId: string, seed: number) => {
      const run = await submitRun(t.db, { config: tinyConfig({ seed }), comparisonId });
      const { lease } = (await claim("w1"))!;
      await queue.recordEpoch(lease, fakeMetrics(0, 0.3), bytes(10, 1), LEASE);
      await queue.finish(lease, { status: "succeeded" });
      return run.id;
    };
    const alicePrivate = await comparison("alice", "private");
    const aliceUnlisted = await comparison("alice", "unlisted");
    const alicePublic = await comparison("alice", "public");
    const bobPrivate = await comparison("bob", "private");
    await succeed(alicePrivate, 1);
    await succeed(aliceUnlisted, 2);
    const publicDonor = await succeed(alicePublic, 3);
    const ownDonor = await succeed(bobPrivate, 4);
    // Bob queues every seed again: only the public run and his own may be copied.
    const expected = new Map([
      [1, null],
      [2, null],
      [3, publicDonor],
      [4, ownDonor],
    ]);
    for (const [seed, donor] of expected) {
      const run = await submitRun(t.db, { config: tinyConfig({ seed }), comparisonId: bobPrivate });
      const c = (await claim("w2"))!;
      expect(c.lease.runId).toBe(run.id);
      expect(await queue.completeFromTwin(c.lease)).toBe(donor);
      expect((await getRun(t.db, run.id)).run).toMatchObject(
        donor ? { status: "succeeded", reusedFrom: donor } : { status: "running", epochsCompleted: 0 },
      );
    }
  });

  it("never copies a browser preview's results into a full run", async () => {
    const queue = createPgRunQueue(t.db);
    const preview = await submitRun(t.db, { config: tinyConfig({ seed: 7 }) });
    // As an attached preview is stored: kind preview, succeeded, with its own epochs.
    await t.db.update(runs).set({ kind: "preview", status: "succeeded", epochsCompleted: 1 }).where(eq(runs.id, preview.id));
    const full = await submitRun(t.db, { config: tinyConfig({ seed: 7 }) });
    const f = (await claim("w1"))!;
    expect(f.lease.runId).toBe(full.id);
    expect(await queue.completeFromTwin(f.lease)).toBeNull();
    expect((await getRun(t.db, full.id)).run).toMatchObject({ status: "running", reusedFrom: null });
  });

  it("never hands one run to two concurrent claimers", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add((await submitRun(t.db, { config: tinyConfig({ seed: i }) })).id);
    // Separate pools, as separate worker processes would have.
    const pools = Array.from({ length: 4 }, () => createDbClient(t.url, { max: 2 }));
    try {
      const claimed = await Promise.all(
        pools.map(async (p, w) => {
          const queue = createPgRunQueue(p.db);
          const mine: string[] = [];
          for (;;) {
            const c = await queue.claim({ workerId: `w${w}`, backend: "cpu", leaseMs: LEASE });
            if (!c) return mine;
            mine.push(c.lease.runId);
          }
        }),
      );
      const all = claimed.flat();
      expect(all.length).toBe(30);
      expect(new Set(all)).toEqual(ids);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    const { rows } = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from runs where attempts = 1 and status = 'running'`);
    expect(rows[0]!.n).toBe(30);
  });
});
