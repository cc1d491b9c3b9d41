import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparisons, runs } from "../../db/schema";
import type { SessionUser } from "../../server/api/trpc";
import { failure } from "./errors";
import { callerFor, createUser, draft, startTestDb, TEST_LIMITS, type TestDb } from "./harness";

let t: TestDb;
let alice: SessionUser;
let bob: SessionUser;

beforeAll(async () => {
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
  bob = await createUser(t.db, "bob");
});
afterAll(() => t.close());

async function tableCounts() {
  const [c] = await t.db.select({ n: count() }).from(comparisons);
  const [r] = await t.db.select({ n: count() }).from(runs);
  return { comparisons: c!.n, runs: r!.n };
}

describe("comparisons.create", () => {
  it("stores the comparison and queues one run per seed, with defaults filled in", async () => {
    const { slug } = await callerFor(t.db, alice).comparisons.create({
      title: "  Step vs cosine  ",
      visibility: "public",
      runs: [
        draft({ schedule: { kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 1 } }, [1, 2]),
        draft({ schedule: { kind: "cosine", lr: 0.05 } }),
      ],
    });
    expect(slug).toMatch(/^[0-9A-Za-z]{10}$/);
    const view = await callerFor(t.db, alice).comparisons.bySlug({ slug });
    expect(view.title).toBe("Step vs cosine");
    expect(view.description).toBe("");
    expect(view.isOwner).toBe(true);
    expect(view.ownerName).toBe("alice");
    expect(view.runs.map((r) => [r.seed, r.status, r.label])).toEqual([
      [1, "queued", "SGD · step 0.1 ×0.5 every 1 ep"],
      [2, "queued", "SGD · step 0.1 ×0.5 every 1 ep"],
      [0, "queued", "SGD · cosine 0.05→0"],
    ]);
    // Seeds of one config share a group (one line with a band); different configs do not.
    expect(view.runs[0]!.group).toBe(view.runs[1]!.group);
    expect(view.runs[2]!.group).not.toBe(view.runs[0]!.group);
    expect(view.runs[2]!.config.schedule).toEqual({ kind: "cosine", lr: 0.05, minLr: 0 });
    expect(view.runs[0]!.config.model).toBe("keras-cifar10-cnn");
  });

  it("names every bad field, nested schedule fields and formulas included, and stores nothing", async () => {
    const before = await tableCounts();
    const result = await failure(
      callerFor(t.db, alice).comparisons.create({
        title: "",
        visibility: "secret" as never,
        runs: [
          draft({ epochs: 0 }),
          draft({
            schedule: {
              kind: "sequence",
              parts: [
                { epochs: 1, schedule: { kind: "linear", from: 0, to: 0.1 } },
                { schedule: { kind: "multiStep", lr: 0.1, milestones: [2], gamma: -1 } },
              ],
            },
          }),
          draft({ schedule: { kind: "expression", expr: "0.1 * (1 +" } }),
        ],
      }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.issues).toEqual(
      expect.arrayContaining([
        "title: is required",
        "visibility: must be one of public, unlisted, private",
        "runs[0].config.epochs: must be ≥ 1",
        "runs[1].config.schedule.parts[1].schedule.gamma: must be > 0",
      ]),
    );
    expect(result.issues.some((line) => line.startsWith("runs[2].config.schedule.expr: "))).toBe(true);
    expect(await tableCounts()).toEqual(before);
  });

  it("rejects a formula that goes negative during the run, naming the field and the epoch", async () => {
    const result = await failure(
      callerFor(t.db, alice).comparisons.create({
        title: "negative",
        visibility: "private",
        runs: [draft({ epochs: 10, schedule: { kind: "expression", expr: "0.1 - 0.02 * epoch" } })],
      }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatch(/^runs\[0\]\.config\.schedule\.expr: .*epoch/);
  });

  it("rejects unknown fields by name", async () => {
    const result = await failure(
      callerFor(t.db, alice).comparisons.create({
        title: "typo",
        visibility: "private",
        runs: [draft({ schedule: { kind: "constant", lr: 0.1, lrr: 2 } })],
      }),
    );
    expect(result.issues).toEqual(["runs[0].config.schedule.lrr: unknown field"]);
  });

  it("rejects cycling momentum with an optimizer that has none, naming the field, and stores nothing", async () => {
    const before = await tableCounts();
    const result = await failure(
      callerFor(t.db, alice).comparisons.create({
        title: "no momentum",
        visibility: "private",
        runs: [draft({ optimizer: { kind: "adagrad" }, schedule: { kind: "oneCycle", maxLr: 0.1, cycleMomentum: true } })],
      }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.issues).toEqual(["runs[0].config.schedule.cycleMomentum: optimizer adagrad has no momentum or β1 to cycle"]);
    expect(await tableCounts()).toEqual(before);
  });

  it("rejects repeated seeds", async () => {
    const result = await failure(
      callerFor(t.db, alice).comparisons.create({ title: "seeds", visibility: "private", runs: [draft({}, [3, 3])] }),
    );
    expect(result.issues).toEqual(["runs[0].seeds[1]: repeats seed 3"]);
  });

  it("applies the epoch quota with a message naming the limit", async () => {
    const result = await failure(
      callerFor(t.db, alice, { ...TEST_LIMITS, maxEpochs: 20 }).comparisons.create({
        title: "long",
        visibility: "private",
        runs: [draft(), draft({ epochs: 21 })],
      }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.issues).toEqual(["runs[1].config.epochs: must be ≤ 20 (this server's limit)"]);
  });

  it("applies the runs-per-comparison quota counting seeds", async () => {
    const result = await failure(
      callerFor(t.db, alice, { ...TEST_LIMITS, maxRunsPerComparison: 3 }).comparisons.create({
        title: "many",
        visibility: "private",
        runs: [draft({}, [0, 1]), draft({ epochs: 4 }, [0, 1])],
      }),
    );
    expect(result.issues).toEqual(["runs: would make 4 runs (one per seed), more than this server's 3 per comparison"]);
  });

  it("applies the queued-runs quota per user and stores nothing when over it", async () => {
    const carol = await createUser(t.db, "carol");
    const limits = { ...TEST_LIMITS, maxQueuedRuns: 3 };
    await callerFor(t.db, carol, limits).comparisons.create({ title: "first", visibility: "private", runs: [draft({}, [0, 1])] });
    const before = await tableCounts();
    const result = await failure(
      callerFor(t.db, carol, limits).comparisons.create({ title: "second", visibility: "private", runs: [draft({}, [5, 6])] }),
    );
    expect(result.code).toBe("TOO_MANY_REQUESTS");
    expect(result.message).toContain("limit of 3 queued runs per user");
    expect(await tableCounts()).toEqual(before);
    // Other users have their own quota.
    await callerFor(t.db, bob, limits).comparisons.create({ title: "bob's", visibility: "private", runs: [draft({}, [0, 1, 2])] });
  });

  it("rejects anonymous callers with UNAUTHORIZED", async () => {
    const result = await failure(callerFor(t.db, null).comparisons.create({ title: "x", visibility: "public", runs: [draft()] }));
    expect(result.code).toBe("UNAUTHORIZED");
  });
});

describe("comparisons.update", () => {
  it("changes the metadata and queues added runs", async () => {
    const { slug } = await callerFor(t.db, alice).comparisons.create({ title: "before", visibility: "private", runs: [draft()] });
    await callerFor(t.db, alice).comparisons.update({
      slug,
      title: "after",
      description: "now with Adam",
      visibility: "unlisted",
      addRuns: [draft({ optimizer: { kind: "adam" }, schedule: { kind: "constant", lr: 0.001 } })],
    });
    const view = await callerFor(t.db, alice).comparisons.bySlug({ slug });
    expect([view.title, view.description, view.visibility]).toEqual(["after", "now with Adam", "unlisted"]);
    expect(view.runs.map((r) => r.label)).toEqual(["SGD · constant 0.1", "Adam · constant 0.001"]);
  });

  it("names bad added runs under addRuns", async () => {
    const { slug } = await callerFor(t.db, alice).comparisons.create({ title: "t", visibility: "private", runs: [draft()] });
    const result = await failure(
      callerFor(t.db, alice).comparisons.update({ slug, title: "t", visibility: "private", addRuns: [draft({ batchSize: 0 })] }),
    );
    expect(result.issues).toEqual(["addRuns[0].config.batchSize: must be ≥ 1"]);
  });
});

describe("lists", () => {
  it("browse lists public comparisons only; mine lists the caller's own", async () => {
    const dave = await createUser(t.db, "dave");
    const make = (title: string, visibility: "public" | "unlisted" | "private") =>
      callerFor(t.db, dave).comparisons.create({ title, visibility, runs: [draft()] });
    await make("dave public", "public");
    await make("dave unlisted", "unlisted");
    await make("dave private", "private");
    const browse = await callerFor(t.db, null).comparisons.browse({ page: 1 });
    const titles = browse.items.map((item) => item.title);
    expect(titles).toContain("dave public");
    expect(titles).not.toContain("dave unlisted");
    expect(titles).not.toContain("dave private");
    expect(browse.items.every((item) => item.visibility === "public")).toBe(true);
    expect(browse.items.find((item) => item.title === "dave public")).toMatchObject({ ownerName: "dave", runs: { total: 1, queued: 1 } });

    const mine = await callerFor(t.db, dave).comparisons.mine();
    expect(mine.map((c) => c.title).sort()).toEqual(["dave private", "dave public", "dave unlisted"]);
    expect(await failure(callerFor(t.db, null).comparisons.mine())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("rejects a bad page number by name", async () => {
    expect((await failure(callerFor(t.db, null).comparisons.browse({ page: 0 }))).issues).toEqual(["page: must be ≥ 1"]);
  });
});

describe("comparisons.fork", () => {
  it("copies a readable comparison into the caller's account as a private one with fresh runs", async () => {
    const { slug } = await callerFor(t.db, alice).comparisons.create({
      title: "original",
      description: "d",
      visibility: "unlisted",
      runs: [draft({}, [0, 1]), draft({ optimizer: { kind: "rmsprop" } })],
    });
    const fork = await callerFor(t.db, bob).comparisons.fork({ slug });
    expect(fork.slug).not.toBe(slug);
    const view = await callerFor(t.db, bob).comparisons.bySlug({ slug: fork.slug });
    expect(view).toMatchObject({ title: "original (fork)", description: "d", visibility: "private", isOwner: true, ownerName: "bob" });
    expect(view.runs.map((r) => [r.label, r.seed, r.status])).toEqual([
      ["SGD · constant 0.1", 0, "queued"],
      ["SGD · constant 0.1", 1, "queued"],
      ["RMSprop ρ=0.9 · constant 0.1", 0, "queued"],
    ]);
    const [forkRow] = await t.db.select().from(comparisons).where(eq(comparisons.shareSlug, fork.slug));
    const forkRuns = await t.db.select().from(runs).where(eq(runs.comparisonId, forkRow!.id));
    expect(forkRuns.every((r) => r.owner === bob.id)).toBe(true);
  });
});
