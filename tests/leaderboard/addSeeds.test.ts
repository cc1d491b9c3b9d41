/** runs.addSeeds: the same config queued again with seeds no run of it has used. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs } from "../../db/schema";
import { callerFor, createUser, draft, startTestDb, TEST_LIMITS, type TestDb } from "../web/harness";
import { failure } from "../web/errors";

describe("runs.addSeeds", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await startTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("queues new seeds of the same config for the owner only, within the limits", async () => {
    const owner = await createUser(t.db, "owner");
    const stranger = await createUser(t.db, "stranger");
    await callerFor(t.db, owner).comparisons.create({ title: "seeds", visibility: "public", runs: [draft({}, [0, 1])] });
    const [first] = await t.db.select().from(runs).orderBy(runs.createdAt);
    expect(first!.seed).toBe(0);

    const added = await callerFor(t.db, owner).runs.addSeeds({ runId: first!.id, count: 3 });
    expect(added.runIds).toHaveLength(3);
    expect(new Set(added.seeds).size).toBe(3);
    for (const seed of added.seeds) expect([0, 1]).not.toContain(seed);
    const rows = await t.db.select().from(runs).where(eq(runs.configHash, first!.configHash));
    expect(rows).toHaveLength(5);
    expect(
      rows
        .filter((r) => added.runIds.includes(r.id))
        .map((r) => ({ status: r.status, comparisonId: r.comparisonId, seed: r.seed, configSeed: (r.config as { seed: number }).seed })),
    ).toEqual(added.seeds.map((seed) => ({ status: "queued", comparisonId: first!.comparisonId, seed, configSeed: seed })));
    // The default is two more seeds.
    expect((await callerFor(t.db, owner).runs.addSeeds({ runId: first!.id })).seeds).toHaveLength(2);

    expect((await failure(callerFor(t.db, stranger).runs.addSeeds({ runId: first!.id, count: 1 }))).code).toBe("FORBIDDEN");
    expect((await failure(callerFor(t.db, null).runs.addSeeds({ runId: first!.id, count: 1 }))).code).toBe("UNAUTHORIZED");
    expect(await failure(callerFor(t.db, owner).runs.addSeeds({ runId: first!.id, count: 0 }))).toMatchObject({
      code: "BAD_REQUEST",
      issues: ["count: must be ≥ 1"],
    });
    expect(await failure(callerFor(t.db, owner).runs.addSeeds({ runId: first!.id, count: 11 }))).toMatchObject({
      code: "BAD_REQUEST",
      issues: ["count: must be ≤ 10"],
    });
    expect(await failure(callerFor(t.db, owner).runs.addSeeds({ runId: "x", count: 1 }))).toMatchObject({
      code: "BAD_REQUEST",
      issues: ["runId: must be a run id (a UUID)"],
    });
    const tight = { ...TEST_LIMITS, maxRunsPerComparison: 8 };
    const over = await failure(callerFor(t.db, owner, tight).runs.addSeeds({ runId: first!.id, count: 2 }));
    expect(over.code).toBe("BAD_REQUEST");
    expect(over.issues[0]).toMatch(/^count: would make 9 runs/);
    expect(await t.db.$count(runs)).toBe(7);
  });
});
