/** leaderboard.list / leaderboard.config through the tRPC caller: order, ties, filters, pages, bad input. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderboardConfigs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { callerFor } from "../web/harness";
import { failure } from "../web/errors";

type Insert = typeof leaderboardConfigs.$inferInsert;

function entry(name: string, fields: Partial<Insert>): Insert {
  const hash = name.repeat(64).slice(0, 64);
  return {
    configHash: hash,
    trainerVersion: "cpu-0123456789ab",
    config: {},
    model: "keras-cifar10-cnn",
    optimizerKind: "sgd",
    optimizerText: "SGD",
    scheduleKind: "constant",
    scheduleText: "constant 0.01",
    searchText: "constant 0.01 sgd",
    epochs: 50,
    batchSize: 32,
    n: 3,
    diverged: 0,
    failed: 0,
    reached50: 0,
    reached60: 0,
    reached70: 0,
    reached80: 0,
    reached90: 0,
    backends: "cpu",
    curve: [0.5, 0.6],
    comparisons: [],
    comparisonCount: 1,
    ...fields,
  };
}

describe.each(testDbTargets())("leaderboard procedures on %s", (target) => {
  let t: TestDatabase;
  const anon = () => callerFor(t.db, null).leaderboard;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    await t.db.insert(leaderboardConfigs).values([
      // One lucky seed: highest mean, but no interval, so it cannot lead.
      entry("a", { n: 1, meanAcc: 0.9, epochsTo70: 3, reached70: 1 }),
      entry("b", {
        n: 3,
        meanAcc: 0.8,
        stdAcc: 0.02,
        ciLow: 0.75,
        ciHigh: 0.85,
        epochsTo70: 10,
        reached70: 3,
        scheduleKind: "cosine",
        scheduleText: "cosine 0.1 → 0 over 50 ep",
        searchText: "cosine 0.1 → 0 over 50 ep sgd",
      }),
      entry("c", {
        n: 3,
        meanAcc: 0.74,
        ciLow: 0.7,
        ciHigh: 0.78,
        epochsTo70: 5,
        reached70: 2,
        optimizerKind: "adam",
        optimizerText: "Adam",
        searchText: "constant 0.01 adam",
      }),
      entry("d", {
        n: 5,
        meanAcc: 0.7,
        ciLow: 0.68,
        ciHigh: 0.72,
        optimizerKind: "adam",
        optimizerText: "Adam",
        epochs: 20,
        searchText: "step 50% off adam",
      }),
      entry("e", { n: 0, diverged: 2, model: "tiny-cnn" }),
    ]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const hashes = (rows: { configHash: string }[]) => rows.map((r) => r.configHash[0]);

  it("ranks by mean final accuracy; the leader has an interval; overlapping intervals are tied", async () => {
    const page = await anon().list({});
    expect(hashes(page.rows)).toEqual(["a", "b", "c", "d", "e"]);
    expect(page.rows.map((r) => r.standing)).toEqual(["n<2", "leader", "tied", "behind", "n<2"]);
    expect(page.leaders.map((l) => l.configHash[0])).toEqual(["b"]);
    expect(page).toMatchObject({ total: 5, pages: 1, page: 1, sort: "meanAcc", dir: "desc", target: 70 });
    expect(page.rows[4]).toMatchObject({ n: 0, diverged: 2, meanAcc: null });
  });

  it("sorts any numeric column, rows without a value last either way", async () => {
    const fastest = await anon().list({ sort: "epochsToTarget" });
    expect(hashes(fastest.rows)).toEqual(["a", "c", "b", "d", "e"]);
    expect(fastest.rows.map((r) => r.epochsToTarget)).toEqual([3, 5, 10, null, null]);
    const slowest = await anon().list({ sort: "epochsToTarget", dir: "desc" });
    expect(hashes(slowest.rows)).toEqual(["b", "c", "a", "d", "e"]);
    // Another target: nobody has a value, so the tie-break (mean, then hash) decides.
    expect(hashes((await anon().list({ sort: "epochsToTarget", target: 90 })).rows)).toEqual(["a", "b", "c", "d", "e"]);
    expect(hashes((await anon().list({ sort: "n" })).rows)).toEqual(["d", "b", "c", "a", "e"]);
    expect(hashes((await anon().list({ sort: "meanAcc", dir: "asc" })).rows)).toEqual(["d", "c", "b", "a", "e"]);
  });

  it("filters, and picks the leader within the filter", async () => {
    const adam = await anon().list({ optimizer: "adam" });
    expect(hashes(adam.rows)).toEqual(["c", "d"]);
    expect(adam.rows.map((r) => r.standing)).toEqual(["leader", "tied"]);
    expect(hashes((await anon().list({ scheduleKind: "cosine" })).rows)).toEqual(["b"]);
    expect(hashes((await anon().list({ model: "tiny-cnn" })).rows)).toEqual(["e"]);
    expect(hashes((await anon().list({ epochs: 20 })).rows)).toEqual(["d"]);
    expect(hashes((await anon().list({ q: "COSINE 0.1" })).rows)).toEqual(["b"]);
    expect(hashes((await anon().list({ q: "50%" })).rows)).toEqual(["d"]); // % is literal
    expect(hashes((await anon().list({ q: "5_%" })).rows)).toEqual([]);
    expect((await anon().list({ optimizer: "rmsprop" })).rows).toEqual([]);
  });

  it("pages without overlap", async () => {
    const second = await anon().list({ pageSize: 2, page: 2 });
    expect(hashes(second.rows)).toEqual(["c", "d"]);
    expect(second).toMatchObject({ total: 5, pages: 3 });
    expect(hashes((await anon().list({ pageSize: 2, page: 3 })).rows)).toEqual(["e"]);
    expect((await anon().list({ pageSize: 2, page: 4 })).rows).toEqual([]);
  });

  it("answers bad parameters with BAD_REQUEST naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sort: "bogus" }, "sort: must be one of meanAcc"],
      [{ dir: "up" }, "dir: must be asc or desc"],
      [{ target: 75 }, "target: must be one of 50, 60, 70, 80, 90 (percent)"],
      [{ optimizer: "lamb" }, "optimizer: must be one of sgd"],
      [{ scheduleKind: "zigzag" }, "scheduleKind: must be one of"],
      [{ model: "resnet" }, "model: must be one of keras-cifar10-cnn, tiny-cnn"],
      [{ epochs: 1.5 }, "epochs: must be an integer"],
      [{ page: 0 }, "page: must be ≥ 1"],
      [{ pageSize: 1000 }, "pageSize: must be ≤ 100"],
      [{ q: "x".repeat(101) }, "q: must be at most 100 characters"],
    ];
    for (const [input, issue] of cases) {
      const f = await failure(anon().list(input));
      expect(f.code, JSON.stringify(input)).toBe("BAD_REQUEST");
      expect(f.issues.join("\n"), JSON.stringify(input)).toContain(issue);
    }
    const extra = await failure(anon().list({ sortBy: "n" } as never));
    expect(extra.code).toBe("BAD_REQUEST");
    const hash = await failure(anon().config({ configHash: "nope" }));
    expect(hash).toMatchObject({ code: "BAD_REQUEST", issues: ["configHash: must be a config hash (64 hex digits)"] });
    expect((await failure(anon().config({ configHash: "f".repeat(64) }))).code).toBe("NOT_FOUND");
  });
});
