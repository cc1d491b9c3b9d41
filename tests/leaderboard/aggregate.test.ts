/**
 * Per-config aggregates kept by the queue and the comparison/run procedures, on both databases:
 * the numbers against hand-computed values, and who is left out (private, unlisted, limited,
 * preview, unfinished, CLI-only runs), following visibility changes, deletion and requeues.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderboardConfigs, runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { createPgRunQueue } from "../../server/queue/pgRunQueue";
import { submitRun } from "../../server/queue/service";
import { rebuildLeaderboard, refreshLeaderboard } from "../../server/leaderboard/refresh";
import type { SessionUser } from "../../server/api/trpc";
import { callerFor, createUser } from "../web/harness";
import { boardRow, finishRun, fullConfig, makeComparison, TEST_VERSION } from "./helpers";

describe.each(testDbTargets())("leaderboard aggregates on %s", (target) => {
  let t: TestDatabase;
  let owner: SessionUser;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    owner = await createUser(t.db, "ada");
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("aggregates seeds of one config; leaves out everything that must not count; follows visibility, requeue and deletion", async () => {
    const pub = await makeComparison(t.db, owner.id, "public");
    const unlisted = await makeComparison(t.db, owner.id, "unlisted");
    const priv = await makeComparison(t.db, owner.id, "private");
    const config = (seed: number) => fullConfig({ seed });

    // Three succeeded seeds: final 0.60, 0.62, 0.67.
    const s1 = await finishRun(t.db, { config: config(1), comparisonId: pub.id, valAccs: [0.4, 0.55, 0.6] });
    await finishRun(t.db, { config: config(2), comparisonId: pub.id, valAccs: [0.5, 0.61, 0.62] });
    await finishRun(t.db, { config: config(3), comparisonId: pub.id, valAccs: [0.3, 0.65, 0.67], backend: "wasm" });
    // One diverged and one failed seed: counted apart, not in the statistics.
    await finishRun(t.db, {
      config: config(4),
      comparisonId: pub.id,
      valAccs: [0.1],
      outcome: { status: "diverged", reason: "loss is NaN" },
    });
    await finishRun(t.db, { config: config(5), comparisonId: pub.id, valAccs: [], outcome: { status: "failed", error: "boom" } });
    // Excluded: unlisted, private, no comparison (CLI), limited configs.
    const hidden = await finishRun(t.db, { config: config(6), comparisonId: unlisted.id, valAccs: [0.9, 0.95, 0.99] });
    await finishRun(t.db, { config: config(7), comparisonId: priv.id, valAccs: [0.9, 0.95, 0.98] });
    await finishRun(t.db, { config: config(8), valAccs: [0.9, 0.95, 0.97] });
    const limited = await finishRun(t.db, {
      config: fullConfig({ seed: 1, trainLimit: 256 }),
      comparisonId: pub.id,
      valAccs: [0.9, 0.9, 0.9],
    });
    const testLimited = await finishRun(t.db, {
      config: fullConfig({ seed: 1, testLimit: 100 }),
      comparisonId: pub.id,
      valAccs: [0.9, 0.9, 0.9],
    });
    expect(await boardRow(t.db, limited.configHash)).toBeNull();
    expect(await boardRow(t.db, testLimited.configHash)).toBeNull();

    const hash = s1.configHash;
    const row = await boardRow(t.db, hash);
    expect(row).toMatchObject({
      n: 3,
      diverged: 1,
      failed: 1,
      epochs: 3,
      batchSize: 32,
      model: "tiny-cnn",
      optimizerKind: "sgd",
      scheduleKind: "constant",
    });
    expect(row!.meanAcc).toBeCloseTo(0.63, 12);
    expect(row!.stdAcc).toBeCloseTo(0.0360555, 6);
    expect(row!.ciLow).toBeCloseTo(0.540433, 5);
    expect(row!.ciHigh).toBeCloseTo(0.719567, 5);
    expect(row!.meanBestAcc).toBeCloseTo(0.63, 12);
    expect(row!.meanTrainSeconds).toBeCloseTo(4.5, 12);
    // 50%: reached after 2, 1, 2 epochs; 60%: after 3, 2, 2; 70%: never.
    expect(row!.reached50).toBe(3);
    expect(row!.epochsTo50).toBeCloseTo(5 / 3, 12);
    expect(row!.secondsTo50).toBeCloseTo(2.5, 12);
    expect(row!.epochsTo60).toBeCloseTo(7 / 3, 12);
    expect(row!.secondsTo60).toBeCloseTo(3.5, 12);
    expect(row!.reached70).toBe(0);
    expect(row!.epochsTo70).toBeNull();
    expect(row!.secondsTo70).toBeNull();
    expect(row!.backends).toBe("cpu, wasm");
    expect(row!.curve).toHaveLength(3); // mean val accuracy per epoch over the succeeded seeds
    [0.4, 1.81 / 3, 0.63].forEach((v, i) => expect(row!.curve[i]).toBeCloseTo(v, 12));
    expect(row!.comparisons).toEqual([{ slug: pub.shareSlug, title: pub.title }]);
    // Per-run targets, written once at finish.
    const [s1Row] = await t.db.select().from(runs).where(eq(runs.id, s1.id));
    expect(s1Row!.epochsToTarget).toEqual([2, 3, null, null, null]);
    expect(s1Row!.secondsToTarget).toEqual([3, 4.5, null, null, null]);

    // A full rebuild (backfill), one hash per transaction, gives the same rows and nothing more.
    await t.db.delete(leaderboardConfigs);
    expect(await rebuildLeaderboard(t.db, 1)).toBe(1);
    expect({ ...(await boardRow(t.db, hash))!, updatedAt: null }).toEqual({ ...row!, updatedAt: null });
    expect(await t.db.$count(leaderboardConfigs)).toBe(1);

    // A browser preview with the same config, and unfinished runs, never count.
    await t.db.insert(runs).values({
      comparisonId: pub.id,
      owner: owner.id,
      config: { ...(s1Row!.config as object), seed: 40 },
      configHash: hash,
      seed: 40,
      totalEpochs: 3,
      kind: "preview",
      status: "succeeded",
      finalValAcc: 0.99,
      bestValAcc: 0.99,
      epochsCompleted: 3,
    });
    await submitRun(t.db, { config: config(41), comparisonId: pub.id });
    const running = await submitRun(t.db, { config: config(42), comparisonId: pub.id });
    const queue = createPgRunQueue(t.db);
    const lease = (await queue.claim({ workerId: "w", backend: "cpu", leaseMs: 30_000 }))!.lease; // claims seed 41
    await queue.recordEpoch(
      lease,
      { epoch: 0, lr: 0.01, loss: 1, acc: 1, valAcc: 0.99, valLoss: 1, seconds: 1, imagesPerSec: 1 },
      new Uint8Array(1),
      30_000,
    );
    await t.db.transaction((tx) => refreshLeaderboard(tx, [hash]));
    expect((await boardRow(t.db, hash))!.n).toBe(3);
    await t.db
      .update(runs)
      .set({ status: "canceled" })
      .where(sql`${runs.status} in ('queued', 'running')`);
    expect(running.configHash).toBe(hash);

    // The same seed again in another public comparison (its result copied): still one sample.
    const other = await makeComparison(t.db, owner.id, "public", "another public one");
    const twin = await submitRun(t.db, { config: config(2), comparisonId: other.id });
    const twinLease = (await queue.claim({ workerId: "w", backend: "cpu", trainerVersion: TEST_VERSION, leaseMs: 30_000 }))!.lease;
    expect(twinLease.runId).toBe(twin.id);
    expect(await queue.completeFromTwin(twinLease)).not.toBeNull();
    const afterTwin = await boardRow(t.db, hash);
    expect(afterTwin).toMatchObject({ n: 3, comparisonCount: 2 });
    expect(afterTwin!.meanAcc).toBeCloseTo(0.63, 12);

    const caller = callerFor(t.db, owner);
    const edit = (c: typeof pub, visibility: "public" | "unlisted" | "private") =>
      caller.comparisons.update({ slug: c.shareSlug, title: c.title, description: "", visibility });

    // Making the unlisted comparison public brings seed 6 (0.99) in: 0.60, 0.62, 0.67, 0.99.
    await edit(unlisted, "public");
    const four = await boardRow(t.db, hash);
    expect(four!.n).toBe(4);
    expect(four!.meanAcc).toBeCloseTo(0.72, 12);
    // …and private again takes it out.
    await edit(unlisted, "private");
    expect((await boardRow(t.db, hash))!.n).toBe(3);

    // Requeueing a counted run takes it out until it finishes again.
    await caller.runs.rerun({ runId: s1.id });
    const requeued = await boardRow(t.db, hash);
    expect(requeued!.n).toBe(2);
    expect(requeued!.meanAcc).toBeCloseTo(0.645, 12);
    await t.db.update(runs).set({ status: "canceled" }).where(eq(runs.id, s1.id));

    // Deleting the public comparison leaves only the copy of seed 2 in the other one.
    await caller.comparisons.delete({ slug: pub.shareSlug });
    const afterDelete = await boardRow(t.db, hash);
    expect(afterDelete).toMatchObject({ n: 1, diverged: 0, failed: 0, stdAcc: null, ciLow: null, ciHigh: null, comparisonCount: 1 });
    expect(afterDelete!.meanAcc).toBeCloseTo(0.62, 12);
    await caller.comparisons.delete({ slug: other.shareSlug });
    expect(await boardRow(t.db, hash)).toBeNull();
    expect(hidden.configHash).toBe(hash);
  });
});
