/**
 * The per-comparison run cap under concurrency: many requests adding runs to one comparison at
 * once, each on its own pooled connection, never take it past the cap (checked in the same
 * transaction as the insert, not before it).
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import type { SessionUser } from "../../server/api/trpc";
import { failure } from "./errors";
import { callerFor, createUser, draft, TEST_LIMITS } from "./harness";

const CONCURRENT = 20;
const CAP = TEST_LIMITS.maxRunsPerComparison; // 32
const limits = { ...TEST_LIMITS, maxQueuedRuns: 1000 }; // the per-comparison cap is the one under test

describe.each(testDbTargets())("run cap under %s", (target) => {
  let t: TestDatabase;
  let alice: SessionUser;
  beforeAll(async () => {
    t = await createTestDatabase(target, { poolMax: CONCURRENT });
    alice = await createUser(t.db, "alice");
  });
  afterAll(async () => {
    await t?.drop();
  });

  it(`${CONCURRENT} concurrent updates adding 2 runs each to a comparison with 1 stop exactly at ${CAP}`, async () => {
    const caller = callerFor(t.db, alice, limits);
    const { slug } = await caller.comparisons.create({ title: "cap", visibility: "private", runs: [draft({}, [0])] });
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, i) =>
        caller.comparisons.update({ slug, title: "cap", visibility: "private", addRuns: [draft({}, [2 * i + 1, 2 * i + 2])] }),
      ),
    );
    const accepted = results.filter((r) => r.status === "fulfilled").length;
    const [row] = await t.db.select({ n: count() }).from(runs);
    // 1 + 2k ≤ 32: fifteen updates fit, the other five are refused whole.
    expect({ accepted, runs: row!.n }).toEqual({ accepted: 15, runs: 31 });
    const again = await failure(caller.comparisons.update({ slug, title: "cap", visibility: "private", addRuns: [draft({}, [100, 101])] }));
    expect(again.issues).toEqual([`addRuns: would make 33 runs (one per seed), more than this server's ${CAP} per comparison`]);
    const [unchanged] = await t.db.select({ n: count() }).from(runs).where(eq(runs.owner, alice.id));
    expect(unchanged!.n).toBe(31);
  });
});
