/** Trainer versions on the leaderboard: one row per (config, version), never pooled; older versions stay visible. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderboardConfigs, runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { refreshLeaderboard } from "../../server/leaderboard/refresh";
import type { SessionUser } from "../../server/api/trpc";
import { callerFor, createUser } from "../web/harness";
import { finishRun, fullConfig, makeComparison } from "./helpers";

const OLD = "wasm-111111111111";
const NEW = "wasm-222222222222";

describe.each(testDbTargets())("leaderboard versions on %s", (target) => {
  let t: TestDatabase;
  let owner: SessionUser;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    owner = await createUser(t.db, "grace");
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("keeps each trainer version of a config in a row of its own, in the list and on the entry page", async () => {
    const pub = await makeComparison(t.db, owner.id, "public");
    const config = (seed: number) => fullConfig({ seed, epochs: 1 });
    // Old numerics: 0.50 and 0.60; new numerics: 0.70, 0.74 and 0.78.
    for (const [seed, acc] of [
      [1, 0.5],
      [2, 0.6],
    ] as const)
      await finishRun(t.db, { config: config(seed), comparisonId: pub.id, valAccs: [acc], trainerVersion: OLD });
    let hash = "";
    for (const [seed, acc] of [
      [1, 0.7],
      [2, 0.74],
      [3, 0.78],
    ] as const)
      hash = (await finishRun(t.db, { config: config(seed), comparisonId: pub.id, valAccs: [acc], trainerVersion: NEW })).configHash;
    // A run from before versions existed.
    const legacy = await finishRun(t.db, { config: config(4), comparisonId: pub.id, valAccs: [0.2] });
    await t.db.update(runs).set({ trainerVersion: null }).where(eq(runs.id, legacy.id));
    await t.db.transaction((tx) => refreshLeaderboard(tx, [hash]));

    const rows = await t.db.select().from(leaderboardConfigs).where(eq(leaderboardConfigs.configHash, hash));
    const byVersion = Object.fromEntries(rows.map((r) => [r.trainerVersion, r]));
    expect(Object.keys(byVersion).sort()).toEqual(["unversioned", OLD, NEW].sort());
    expect(byVersion[OLD]).toMatchObject({ n: 2 });
    expect(byVersion[OLD]!.meanAcc).toBeCloseTo(0.55, 12);
    expect(byVersion[NEW]).toMatchObject({ n: 3 });
    expect(byVersion[NEW]!.meanAcc).toBeCloseTo(0.74, 12);
    expect(byVersion.unversioned).toMatchObject({ n: 1 });
    expect(byVersion.unversioned!.meanAcc).toBeCloseTo(0.2, 12);

    const caller = callerFor(t.db, null);
    const list = await caller.leaderboard.list({});
    expect(list.rows.map((r) => [r.trainerVersion, r.n])).toEqual([
      [NEW, 3],
      [OLD, 2],
      ["unversioned", 1],
    ]);
    // Each version is ranked within itself: the old numerics' row is its own version's leader (n = 2,
    // and nothing else of that version), never "tied" with the new one, though its wide interval
    // (0.55 ± 6.31 × 0.0707) would overlap the new row's.
    expect(list.leaders.map((l) => [l.trainerVersion, l.configHash])).toEqual([
      [NEW, hash],
      [OLD, hash],
    ]);
    expect(list.rows.map((r) => r.standing)).toEqual(["leader", "leader", "n<2"]);

    const old = await caller.leaderboard.config({ configHash: hash, trainerVersion: OLD });
    expect(old.row).toMatchObject({ trainerVersion: OLD, n: 2 });
    expect(old.runs.map((r) => r.finalValAcc).sort()).toEqual([0.5, 0.6]);
    expect(old.versions.map((v) => v.trainerVersion).sort()).toEqual(["unversioned", OLD, NEW].sort());
    await expect(caller.leaderboard.config({ configHash: hash, trainerVersion: "cpu-ffffffffffff" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
