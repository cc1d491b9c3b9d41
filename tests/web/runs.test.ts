import { and, eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparisons, epochMetrics, epochSteps, runs } from "../../db/schema";
import type { SessionUser } from "../../server/api/trpc";
import { getRun } from "../../server/queue/service";
import { writeEpochSteps } from "../../server/queue/stepCurves";
import { failure } from "./errors";
import { callerFor, createUser, draft, startTestDb, TEST_LIMITS, type TestDb } from "./harness";

let t: TestDb;
let alice: SessionUser;

beforeAll(async () => {
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
});
afterAll(() => t.close());

async function newComparison(seeds = [0]) {
  const { slug } = await callerFor(t.db, alice).comparisons.create({ title: "runs", visibility: "public", runs: [draft({}, seeds)] });
  const rows = await t.db
    .select({ id: runs.id })
    .from(runs)
    .innerJoin(comparisons, eq(runs.comparisonId, comparisons.id))
    .where(eq(comparisons.shareSlug, slug));
  return { slug, runIds: rows.map((r) => r.id) };
}

/** What a worker would have written after `epochs` epochs. */
async function train(runId: string, epochs: number, status: "running" | "succeeded" | "failed") {
  for (let epoch = 0; epoch < epochs; epoch++) {
    await t.db.insert(epochMetrics).values({
      runId,
      epoch,
      lr: 0.1,
      loss: 2 - epoch * 0.1,
      acc: 0.2 + epoch * 0.05,
      valLoss: 2.1 - epoch * 0.1,
      valAcc: 0.25 + epoch * 0.05,
      seconds: 1.5,
      imagesPerSec: 40,
    });
  }
  await t.db
    .update(runs)
    .set({
      status,
      epochsCompleted: epochs,
      bestValAcc: 0.25 + (epochs - 1) * 0.05,
      finalValAcc: 0.25 + (epochs - 1) * 0.05,
      startedAt: sql`now()`,
    })
    .where(eq(runs.id, runId));
}

describe("runs", () => {
  it("cancels a queued or running run, and refuses a finished one", async () => {
    const { runIds } = await newComparison([0, 1, 2]);
    const [queued, running, done] = runIds as [string, string, string];
    await train(running, 1, "running");
    await train(done, 3, "succeeded");
    await callerFor(t.db, alice).runs.cancel({ runId: queued });
    await callerFor(t.db, alice).runs.cancel({ runId: running });
    const finished = await failure(callerFor(t.db, alice).runs.cancel({ runId: done }));
    expect(finished).toMatchObject({ code: "CONFLICT", message: "This run has already finished (succeeded)." });
    const statuses = await t.db
      .select({ id: runs.id, status: runs.status })
      .from(runs)
      .where(eq(runs.comparisonId, (await t.db.select().from(runs).where(eq(runs.id, queued)))[0]!.comparisonId!));
    expect(new Map(statuses.map((s) => [s.id, s.status]))).toEqual(
      new Map([
        [queued, "canceled"],
        [running, "canceled"],
        [done, "succeeded"],
      ]),
    );
  });

  it("re-runs a finished run from scratch, keeping its place, and refuses an active one", async () => {
    const { runIds } = await newComparison([0, 1]);
    const [done, active] = runIds as [string, string];
    await train(done, 3, "failed");
    await writeEpochSteps(t.db, done, 0, [{ epoch: 0, step: 0, lr: 0.1, lrMin: 0.1, lrMax: 0.1, loss: 2 }]);
    await callerFor(t.db, alice).runs.rerun({ runId: done });
    const view = await callerFor(t.db, alice).runs.get({ runId: done });
    expect(view.run).toMatchObject({ status: "queued", epochsCompleted: 0, bestValAcc: null, error: null });
    expect(view.metrics.epoch).toEqual([]);
    expect((await getRun(t.db, done)).steps.step).toEqual([]);
    expect((await failure(callerFor(t.db, alice).runs.rerun({ runId: active }))).code).toBe("CONFLICT");
  });

  it("re-running forgets every summary of the old result, the targets reached included", async () => {
    const { runIds } = await newComparison([0]);
    const done = runIds[0]!;
    await train(done, 3, "succeeded"); // val accuracy 0.25, 0.30, 0.35
    await t.db.execute(
      sql`update runs set epochs_to_target = '{2,null,null,null,null}', seconds_to_target = '{3,null,null,null,null}', final_loss = 1.8, train_seconds = 4.5 where id = ${done}::uuid`,
    );
    await callerFor(t.db, alice).runs.rerun({ runId: done });
    const [row] = await t.db.select().from(runs).where(eq(runs.id, done));
    expect(row).toMatchObject({
      status: "queued",
      epochsCompleted: 0,
      finalLoss: null,
      finalValAcc: null,
      bestEpoch: null,
      trainSeconds: null,
    });
    expect((row!.epochsToTarget ?? []).every((v) => v === null)).toBe(true);
    expect((row!.secondsToTarget ?? []).every((v) => v === null)).toBe(true);
  });

  it("re-run counts against the queued quota", async () => {
    const { runIds } = await newComparison([0]);
    await train(runIds[0]!, 1, "succeeded");
    const tight = { ...TEST_LIMITS, maxQueuedRuns: 1 };
    await callerFor(t.db, alice).comparisons.create({ title: "one queued run", visibility: "private", runs: [draft()] });
    const result = await failure(callerFor(t.db, alice, tight).runs.rerun({ runId: runIds[0]! }));
    expect(result.code).toBe("TOO_MANY_REQUESTS");
    expect((await t.db.select().from(runs).where(eq(runs.id, runIds[0]!)))[0]!.status).toBe("succeeded");
  });

  it("gives NOT_FOUND for unknown run ids and a field-named message for malformed ones", async () => {
    const unknown = await failure(callerFor(t.db, alice).runs.get({ runId: "00000000-0000-4000-8000-000000000000" }));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", message: "There is no run with this id." });
    const malformed = await failure(callerFor(t.db, alice).runs.get({ runId: "nope" }));
    expect(malformed).toMatchObject({ code: "BAD_REQUEST", issues: ["runId: must be a run id (a UUID)"] });
  });

  it("serves each run's epochs as columns for the charts", async () => {
    const { slug, runIds } = await newComparison([0, 1]);
    await train(runIds[0]!, 2, "running");
    const metrics = await callerFor(t.db, null).metrics.forComparison({ slug });
    expect(Object.keys(metrics).sort()).toEqual([...runIds].sort());
    expect(metrics[runIds[0]!]).toMatchObject({ epoch: [0, 1], valAcc: [0.25, 0.3], imagesPerSec: [40, 40] });
    expect(metrics[runIds[1]!]!.epoch).toEqual([]);
  });

  it("serves each run's per-step curve as columns, across epochs in step order, then only what is new", async () => {
    const { slug, runIds } = await newComparison([0, 1]);
    const point = (epoch: number, step: number, lr: number, loss: number) => ({ epoch, step, lr, lrMin: lr / 2, lrMax: lr, loss });
    await writeEpochSteps(t.db, runIds[0]!, 1, [point(1, 4, 0.3, 1.5)]);
    await writeEpochSteps(t.db, runIds[0]!, 0, [point(0, 0, 0.1, 2.5), point(0, 2, 0.2, 2)]);
    const api = callerFor(t.db, null);
    const first = await api.metrics.stepsSince({ slug, cursor: {} });
    expect(first.steps[runIds[0]!]).toEqual({
      epoch: [0, 0, 1],
      step: [0, 2, 4],
      lr: [0.1, 0.2, 0.3],
      lrMin: [0.05, 0.1, 0.15],
      lrMax: [0.1, 0.2, 0.3],
      loss: [2.5, 2, 1.5],
      reset: false,
    });
    expect(first.steps[runIds[1]!]).toBeUndefined();
    expect(first.cursor).toEqual({ [runIds[0]!]: 2, [runIds[1]!]: 0 });

    await writeEpochSteps(t.db, runIds[0]!, 2, [point(2, 6, 0.4, 1)]);
    const next = await api.metrics.stepsSince({ slug, cursor: first.cursor });
    expect(next.steps).toEqual({
      [runIds[0]!]: { epoch: [2], step: [6], lr: [0.4], lrMin: [0.2], lrMax: [0.4], loss: [1], reset: false },
    });
    expect(next.cursor).toEqual({ [runIds[0]!]: 3, [runIds[1]!]: 0 });
    expect((await api.metrics.stepsSince({ slug, cursor: next.cursor })).steps).toEqual({});

    // Fewer rows than the cursor (a re-run): the run comes back whole.
    await t.db.delete(epochSteps).where(and(eq(epochSteps.runId, runIds[0]!), gte(epochSteps.epoch, 1)));
    const rerun = await api.metrics.stepsSince({ slug, cursor: next.cursor });
    expect(rerun.steps[runIds[0]!]).toMatchObject({ epoch: [0, 0], step: [0, 2], reset: true });
    expect(rerun.cursor[runIds[0]!]).toBe(1);
  });

  it("sends as many bytes for a step poll with nothing new after 150 epochs as after 3", async () => {
    const size = async (epochs: number) => {
      const { slug, runIds } = await newComparison([0]);
      for (let epoch = 0; epoch < epochs; epoch++) {
        const points = Array.from({ length: 20 }, (_, i) => ({ epoch, step: epoch * 20 + i, lr: 0.1, lrMin: 0.1, lrMax: 0.1, loss: 1 }));
        await writeEpochSteps(t.db, runIds[0]!, epoch, points);
      }
      const api = callerFor(t.db, null);
      const full = await api.metrics.stepsSince({ slug, cursor: {} });
      const idle = await api.metrics.stepsSince({ slug, cursor: full.cursor });
      await writeEpochSteps(t.db, runIds[0]!, epochs, [{ epoch: epochs, step: epochs * 20, lr: 0.1, lrMin: 0.1, lrMax: 0.1, loss: 1 }]);
      const oneMore = await api.metrics.stepsSince({ slug, cursor: full.cursor });
      return { full: JSON.stringify(full).length, idle: JSON.stringify(idle).length, oneMore: JSON.stringify(oneMore).length };
    };
    const small = await size(3);
    const large = await size(150);
    expect(large.full).toBeGreaterThan(20 * small.full);
    // Nothing new: the same bytes but for the cursor's digits (150 against 3).
    expect(large.idle - small.idle).toBe(2);
    // One new epoch of one point: also the digits of its epoch (150 against 3), step (3000 against 60) and the cursor (151 against 4).
    expect(large.oneMore - small.oneMore).toBe(6);
  });

  it("adds each epoch's lr range to the epoch columns (NaN for an epoch without a stored curve)", async () => {
    const { slug, runIds } = await newComparison([0]);
    await train(runIds[0]!, 2, "running");
    const point = (step: number, lr: number, lrMin: number, lrMax: number) => ({ epoch: 0, step, lr, lrMin, lrMax, loss: 1 });
    await writeEpochSteps(t.db, runIds[0]!, 0, [point(0, 0.1, 0.05, 0.1), point(2, 0.3, 0.2, 0.4)]);
    const metrics = await callerFor(t.db, null).metrics.forComparison({ slug });
    expect(metrics[runIds[0]!]).toMatchObject({ epoch: [0, 1], lrMin: [0.05, NaN], lrMax: [0.4, NaN] });
  });

  it("gives NOT_FOUND for unknown slugs and a field-named message for malformed ones", async () => {
    expect((await failure(callerFor(t.db, null).comparisons.bySlug({ slug: "0123456789" }))).code).toBe("NOT_FOUND");
    expect((await failure(callerFor(t.db, null).comparisons.bySlug({ slug: "../etc" }))).issues).toEqual([
      "slug: must be a comparison link id (10 letters and digits)",
    ]);
  });
});
