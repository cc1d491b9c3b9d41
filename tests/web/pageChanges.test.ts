/**
 * The page change feed behind on-demand invalidation, on both databases: the triggers record what
 * each write changes (and nothing for a heartbeat), a read returns only the rows after its start,
 * old rows are pruned, and each change maps to exactly the cached pages that show it.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { comparisons, pageChanges } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { pagesToExpire, prunePageChanges, readPageChanges } from "../../server/edge/pageChanges";
import { createPgRunQueue } from "../../server/queue/pgRunQueue";
import { submitRun } from "../../server/queue/service";
import { fullConfig, makeComparison, TEST_VERSION } from "../leaderboard/helpers";

describe("pagesToExpire", () => {
  it("names a comparison's pages, its run's page, the listings and the leaderboard, each once", () => {
    expect(
      pagesToExpire([
        { slug: "abc", runId: "r1", leaderboard: false },
        { slug: "abc", runId: "r1", leaderboard: false },
        { slug: null, runId: null, leaderboard: true },
      ]),
    ).toEqual([
      { path: "/c/abc" },
      { path: "/c/abc/opengraph-image" },
      { path: "/embed/c/abc" },
      { path: "/browse", type: "layout" },
      { path: "/c/abc/runs/r1" },
      { path: "/leaderboard", type: "layout" },
    ]);
  });

  it("expires every run page for a comparison-wide change (its runs may be gone)", () => {
    expect(pagesToExpire([{ slug: "xyz", runId: null, leaderboard: false }])).toContainEqual({
      path: "/c/[slug]/runs/[runId]",
      type: "page",
    });
    expect(pagesToExpire([])).toEqual([]);
  });
});

describe.each(testDbTargets())("page change feed on %s", (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    // Runs left queued by one test would be claimed by the next.
    await t.db.execute(sql`update runs set status = 'canceled' where status in ('queued', 'running')`);
    await t.db.delete(pageChanges);
  });

  const all = async () => (await readPageChanges(t.db, null)).changes.map(({ slug, runId, leaderboard }) => ({ slug, runId, leaderboard }));

  it("records a run's queueing, claim, epochs and finish for its comparison, and the leaderboard refresh; not its heartbeats", async () => {
    const shared = await makeComparison(t.db, "owner-1", "public", "Fed");
    await t.db.delete(pageChanges); // the comparison's own creation is tested below
    const run = await submitRun(t.db, { config: fullConfig({ epochs: 2 }), comparisonId: shared.id });
    const queued = { slug: shared.shareSlug, runId: run.id, leaderboard: false };
    expect(await all()).toEqual([queued]);

    const queue = createPgRunQueue(t.db);
    const claimed = await queue.claim({ workerId: "w", backend: "cpu", trainerVersion: TEST_VERSION, leaseMs: 30_000 });
    expect(claimed?.lease.runId).toBe(run.id);
    expect(await all()).toEqual([queued, queued]);

    await queue.heartbeat(claimed!.lease, 30_000);
    expect(await all()).toHaveLength(2);

    const metrics = { epoch: 0, lr: 0.01, loss: 1, acc: 0.5, valLoss: 1, valAcc: 0.5, seconds: 1, imagesPerSec: 100 };
    expect(await queue.recordEpoch(claimed!.lease, metrics, new Uint8Array(4), 30_000)).toBe("held");
    expect(await all()).toHaveLength(3);

    await t.db.delete(pageChanges);
    await queue.finish(claimed!.lease, { status: "succeeded" });
    const finished = await all();
    expect(finished).toContainEqual(queued);
    expect(finished).toContainEqual({ slug: null, runId: null, leaderboard: true });
  });

  it("records a comparison created, edited (old and new slug) and deleted; a run outside any comparison not at all", async () => {
    const c = await makeComparison(t.db, "owner-2", "private", "Edited");
    await t.db.update(comparisons).set({ title: "Renamed", visibility: "public" }).where(eq(comparisons.id, c.id));
    await t.db.update(comparisons).set({ shareSlug: "newslug123" }).where(eq(comparisons.id, c.id));
    await t.db.delete(comparisons).where(eq(comparisons.id, c.id));
    const row = (slug: string) => ({ slug, runId: null, leaderboard: false });
    expect(await all()).toEqual([row(c.shareSlug), row(c.shareSlug), row(c.shareSlug), row("newslug123"), row("newslug123")]);

    await t.db.delete(pageChanges);
    await submitRun(t.db, { config: fullConfig(), owner: "cli" });
    expect(await all()).toEqual([]);
  });

  it("reads only rows written after `from`, and prunes rows past retention", async () => {
    const c = await makeComparison(t.db, "owner-3", "public");
    // `now` comes back as a Date (milliseconds) from the database's microseconds: a row of the same
    // millisecond would be read again (harmless: readers skip ids they applied), so keep them apart.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = await readPageChanges(t.db, null);
    expect(first.changes.map((change) => change.slug)).toEqual([c.shareSlug]);
    expect(Math.abs(first.now.getTime() - Date.now())).toBeLessThan(60_000);
    const later = await makeComparison(t.db, "owner-3", "public");
    const second = await readPageChanges(t.db, first.now);
    expect(second.changes.map((change) => change.slug)).toEqual([later.shareSlug]);

    await t.db.execute(sql`update page_changes set at = now() - interval '11 minutes' where slug = ${c.shareSlug}`);
    await prunePageChanges(t.db);
    const left = await t.db.select({ slug: pageChanges.slug }).from(pageChanges);
    expect(left).toEqual([{ slug: later.shareSlug }]);
  });
});
