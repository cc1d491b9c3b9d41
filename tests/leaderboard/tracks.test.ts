/** Leaderboard tracks: the full-data track and the budget track rank apart; other limits are in neither. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import type { SessionUser } from "../../server/api/trpc";
import { parseRunConfig } from "../../training/config";
import { trackOf } from "../../training/tracks";
import { callerFor, createUser } from "../web/harness";
import { finishRun, fullConfig, makeComparison } from "./helpers";

describe("track of a config", () => {
  const base = { epochs: 10, batchSize: 32, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 } };
  it.each([
    [{}, "full"],
    [{ epochs: 200 }, "full"],
    [{ trainLimit: 10_000 }, "budget"],
    [{ trainLimit: 10_000, epochs: 3 }, "budget"],
    [{ trainLimit: 10_000, epochs: 11 }, null],
    [{ trainLimit: 9_999 }, null],
    [{ trainLimit: 10_000, testLimit: 1000 }, null],
    [{ valSplit: 5000 }, null],
  ] as const)("%j → %s", (fields, track) => {
    expect(trackOf(parseRunConfig({ ...base, ...fields }))).toBe(track);
  });
});

describe.each(testDbTargets())("leaderboard tracks on %s", (target) => {
  let t: TestDatabase;
  let owner: SessionUser;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    owner = await createUser(t.db, "ada");
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("ranks each track on its own page and leaves other limits out", async () => {
    const pub = await makeComparison(t.db, owner.id, "public");
    const run = (fields: Parameters<typeof fullConfig>[0], acc: number) =>
      finishRun(t.db, { config: fullConfig(fields), comparisonId: pub.id, valAccs: [acc] });
    const full = await run({ epochs: 1, seed: 1 }, 0.7);
    await run({ epochs: 1, seed: 2 }, 0.72);
    const budget = await run({ epochs: 1, trainLimit: 10_000, seed: 1 }, 0.5);
    await run({ epochs: 1, trainLimit: 10_000, seed: 2 }, 0.54);
    // Over the epoch budget, another subset, a validation split: in no track.
    await run({ epochs: 11, trainLimit: 10_000 }, 0.9);
    await run({ epochs: 1, trainLimit: 256 }, 0.9);
    await run({ epochs: 1, valSplit: 1000 }, 0.9);

    const caller = callerFor(t.db, null);
    const fullPage = await caller.leaderboard.list({});
    expect(fullPage.track).toBe("full");
    expect(fullPage.rows.map((r) => [r.configHash, r.n])).toEqual([[full.configHash, 2]]);
    expect(fullPage.rows[0]!.meanAcc).toBeCloseTo(0.71, 12);
    expect(fullPage.leaders.map((l) => l.configHash)).toEqual([full.configHash]);
    const budgetPage = await caller.leaderboard.list({ track: "budget" });
    expect(budgetPage.rows.map((r) => [r.configHash, r.n])).toEqual([[budget.configHash, 2]]);
    expect(budgetPage.rows[0]!.meanAcc).toBeCloseTo(0.52, 12);
    expect(budgetPage.leaders.map((l) => l.configHash)).toEqual([budget.configHash]);
    expect(budgetPage.total).toBe(1);
  });
});
