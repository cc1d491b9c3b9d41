/**
 * metrics.since, the live page's one poll, on both databases: only rows newer than the cursor,
 * a re-run sent whole, poll size independent of the epochs already held, one snapshot, and the
 * comparison's access rules.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparisons, epochMetrics, runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { readLiveSince } from "../../server/api/liveSince";
import type { SessionUser } from "../../server/api/trpc";
import { requeueRun } from "../../server/queue/transitions";
import { writeEpochSteps } from "../../server/queue/stepCurves";
import { failure } from "./errors";
import { callerFor, createUser, draft } from "./harness";

describe.each(testDbTargets())("metrics.since on %s", (target) => {
  let t: TestDatabase;
  let alice: SessionUser;
  let bob: SessionUser;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    alice = await createUser(t.db, "alice");
    bob = await createUser(t.db, "bob");
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function newComparison(seeds: number[], visibility: "public" | "private" = "public") {
    const { slug } = await callerFor(t.db, alice).comparisons.create({ title: "live", visibility, runs: [draft({}, seeds)] });
    const rows = await t.db
      .select({ id: runs.id, comparisonId: runs.comparisonId })
      .from(runs)
      .innerJoin(comparisons, eq(runs.comparisonId, comparisons.id))
      .where(eq(comparisons.shareSlug, slug))
      .orderBy(runs.seed);
    return { slug, comparisonId: rows[0]!.comparisonId!, runIds: rows.map((r) => r.id) };
  }

  /** Epochs [from, to) as a worker records them: the row, then the run's progress. */
  async function record(runId: string, from: number, to: number, status: "running" | "succeeded" = "running") {
    for (let epoch = from; epoch < to; epoch++) {
      await t.db.insert(epochMetrics).values({
        runId,
        epoch,
        lr: 0.1,
        loss: 2,
        acc: 0.5,
        valLoss: 2,
        valAcc: 0.5,
        seconds: 1.5,
        imagesPerSec: 40,
      });
    }
    await t.db.update(runs).set({ status, epochsCompleted: to, bestValAcc: 0.5 }).where(eq(runs.id, runId));
  }

  it("returns every row on the first poll, then only the rows newer than the cursor", async () => {
    const { slug, runIds } = await newComparison([0, 1]);
    const [a, b] = runIds as [string, string];
    await record(a, 0, 3);
    await writeEpochSteps(t.db, a, 2, [{ epoch: 2, step: 8, lr: 0.1, lrMin: 0.05, lrMax: 0.2, loss: 1 }]);
    const api = callerFor(t.db, null);
    const first = await api.metrics.since({ slug, cursor: {} });
    expect(first.cursor).toEqual({ [a]: 3, [b]: 0 });
    expect(Object.keys(first.metrics)).toEqual([a]);
    expect(first.metrics[a]).toMatchObject({ epoch: [0, 1, 2], lrMin: [NaN, NaN, 0.05], lrMax: [NaN, NaN, 0.2], reset: false });
    expect(first.runs.map((r) => [r.id, r.status, r.epochsCompleted])).toEqual([
      [a, "running", 3],
      [b, "queued", 0],
    ]);

    await record(a, 3, 5);
    await record(b, 0, 1);
    const second = await api.metrics.since({ slug, cursor: first.cursor });
    expect(second.cursor).toEqual({ [a]: 5, [b]: 1 });
    expect(second.metrics[a]).toMatchObject({ epoch: [3, 4], reset: false });
    expect(second.metrics[b]).toMatchObject({ epoch: [0], reset: false });

    const idle = await api.metrics.since({ slug, cursor: second.cursor });
    expect(idle.metrics).toEqual({});
    expect(idle.cursor).toEqual(second.cursor);
  });

  it("sends a re-run whole, marked reset, when it has fewer rows than the cursor", async () => {
    const { slug, runIds } = await newComparison([0]);
    const [a] = runIds as [string];
    await record(a, 0, 4, "succeeded");
    expect(await requeueRun(t.db, a)).toBe(true);
    await record(a, 0, 2);
    const poll = await callerFor(t.db, null).metrics.since({ slug, cursor: { [a]: 4 } });
    expect(poll.metrics[a]).toMatchObject({ epoch: [0, 1], reset: true });
    expect(poll.cursor).toEqual({ [a]: 2 });
  });

  it("sends as many bytes for a poll with no new rows after 150 epochs as after 3", async () => {
    const size = async (epochs: number) => {
      const { slug, runIds } = await newComparison([0, 1]);
      for (const id of runIds) await record(id, 0, epochs);
      const api = callerFor(t.db, null);
      const full = await api.metrics.since({ slug, cursor: {} });
      const idle = await api.metrics.since({ slug, cursor: full.cursor });
      for (const id of runIds) await record(id, epochs, epochs + 1);
      const oneMore = await api.metrics.since({ slug, cursor: full.cursor });
      return { full: JSON.stringify(full).length, idle: JSON.stringify(idle).length, oneMore: JSON.stringify(oneMore).length };
    };
    const small = await size(3);
    const large = await size(150);
    expect(large.full).toBeGreaterThan(20 * large.idle); // the whole history is large…
    // …but an idle poll differs only in the digits of the counts (epochsCompleted and cursor, two runs each: 4 × 2 more).
    expect(large.idle - small.idle).toBe(8);
    expect(large.oneMore - small.oneMore).toBeLessThanOrEqual(8 + 2 * 2); // and the epoch numbers of the new rows
  });

  it("reads run states and epoch rows in one snapshot: a write between the two reads is not half seen", async () => {
    const { comparisonId, runIds } = await newComparison([0]);
    const [a] = runIds as [string];
    await record(a, 0, 2);
    let write: Promise<void> | undefined;
    const poll = await readLiveSince(t.db, { id: comparisonId }, {}, async () => {
      write = record(a, 2, 3);
      // Postgres commits it now, between the reads; PGlite serializes transactions, so there it waits for the poll.
      if (target === "postgres") await write;
    });
    await write;
    expect(poll.runs[0]!.epochsCompleted).toBe(2);
    expect(poll.metrics[a]!.epoch).toEqual([0, 1]);
    expect(poll.cursor).toEqual({ [a]: 2 });
    const next = await readLiveSince(t.db, { id: comparisonId }, poll.cursor);
    expect(next.runs[0]!.epochsCompleted).toBe(3);
    expect(next.metrics[a]!.epoch).toEqual([2]);
  });

  it("keeps a private comparison's poll to its owner (NOT_FOUND for others) and names bad cursor fields", async () => {
    const { slug, runIds } = await newComparison([0], "private");
    await record(runIds[0]!, 0, 1);
    expect((await callerFor(t.db, alice).metrics.since({ slug, cursor: {} })).cursor).toEqual({ [runIds[0]!]: 1 });
    for (const viewer of [null, bob]) {
      const refused = await failure(callerFor(t.db, viewer).metrics.since({ slug, cursor: {} }));
      expect(refused).toMatchObject({ code: "NOT_FOUND", message: "There is no comparison at this link." });
    }
    const bad = await failure(callerFor(t.db, alice).metrics.since({ slug, cursor: { [runIds[0]!]: -1 } }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.issues).toEqual([`cursor.${runIds[0]!}: Too small: expected number to be >=0`]);
  });
});
