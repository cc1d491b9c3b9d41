/**
 * Cheap checks come before any schedule is evaluated, at the web app's doors, and a draft's
 * schedule is checked once however many seeds it has. Formula evaluations are counted by
 * wrapping the expression compiler.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "../../server/api/trpc";
import { failure } from "./errors";
import { callerFor, createUser, draft, startTestDb, TEST_LIMITS, type TestDb } from "./harness";

let evaluations = 0;
vi.mock("../../training/expression/compile", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../training/expression/compile")>();
  return {
    ...original,
    compileExpression: (text: string) => {
      const compiled = original.compileExpression(text);
      return { ...compiled, evaluate: (vars: Parameters<typeof compiled.evaluate>[0]) => (evaluations++, compiled.evaluate(vars)) };
    },
  };
});

let t: TestDb;
let alice: SessionUser;
beforeAll(async () => {
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
});
afterAll(() => t.close());
beforeEach(() => {
  evaluations = 0;
});

/** A per-epoch formula over 3 epochs: 3 evaluations per schedule check. */
const formula = (seeds: number[]) => draft({ schedule: { kind: "expression", expr: "0.1 * exp(-epoch / 10)" } }, seeds);
const seeds = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("validation order", () => {
  it("checks a draft's schedule once, not once per seed", async () => {
    await callerFor(t.db, alice).comparisons.create({ title: "seeds", visibility: "private", runs: [formula(seeds(0, 10))] });
    expect(evaluations).toBe(3);
  });

  it("refuses a create over the run cap before evaluating any schedule", async () => {
    const result = await failure(
      callerFor(t.db, alice).comparisons.create({
        title: "too many",
        visibility: "private",
        runs: [formula(seeds(0, 10)), formula(seeds(10, 10)), formula(seeds(20, 10)), formula(seeds(30, 3))],
      }),
    );
    expect(result.issues).toEqual([
      `runs: would make 33 runs (one per seed), more than this server's ${TEST_LIMITS.maxRunsPerComparison} per comparison`,
    ]);
    expect(evaluations).toBe(0);
  });

  it("refuses an update over the run cap or the queued quota before evaluating any schedule", async () => {
    const { slug } = await callerFor(t.db, alice).comparisons.create({
      title: "full",
      visibility: "private",
      runs: [draft({}, seeds(0, 10)), draft({}, seeds(10, 10)), draft({}, seeds(20, 10))],
    });
    evaluations = 0;
    const overCap = await failure(
      callerFor(t.db, alice).comparisons.update({ slug, title: "full", visibility: "private", addRuns: [formula(seeds(100, 3))] }),
    );
    expect(overCap.issues).toEqual([
      `addRuns: would make 33 runs (one per seed), more than this server's ${TEST_LIMITS.maxRunsPerComparison} per comparison`,
    ]);
    const overQuota = await failure(
      callerFor(t.db, alice, { ...TEST_LIMITS, maxQueuedRuns: 40 }).comparisons.create({
        title: "q",
        visibility: "private",
        runs: [formula(seeds(0, 10)), formula(seeds(10, 10))],
      }),
    );
    expect(overQuota.code).toBe("TOO_MANY_REQUESTS");
    expect(evaluations).toBe(0);
  });
});
