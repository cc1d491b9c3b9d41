/** previews.attach and previews.toFullRun through the tRPC caller, on a throwaway database. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparisons, epochMetrics, runs } from "../../db/schema";
import type { SessionUser } from "../../server/api/trpc";
import { MAX_PREVIEWS_PER_COMPARISON } from "../../server/api/routers/previews";
import type { EpochMetrics } from "../../training/metrics";
import { failure } from "../web/errors";
import { callerFor, createUser, draft, startTestDb, TEST_LIMITS, type TestDb } from "../web/harness";

let t: TestDb;
let alice: SessionUser;
let bob: SessionUser;

beforeAll(async () => {
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
  bob = await createUser(t.db, "bob");
});
afterAll(() => t.close());

async function newComparison(visibility: "public" | "private" = "public") {
  const { slug } = await callerFor(t.db, alice).comparisons.create({
    title: "previews",
    visibility,
    runs: [draft({ trainLimit: undefined, testLimit: undefined, epochs: 20 })],
  });
  const [row] = await t.db.select().from(comparisons).where(eq(comparisons.shareSlug, slug));
  return { slug, id: row!.id };
}

const previewConfig = {
  epochs: 2,
  batchSize: 32,
  optimizer: { kind: "sgd" },
  schedule: { kind: "constant", lr: 0.1 },
  trainLimit: 256,
  testLimit: 64,
  seed: 0,
};
const epoch = (n: number, valAcc: number): EpochMetrics => ({
  epoch: n,
  lr: 0.1,
  loss: 2 - n * 0.1,
  acc: 0.2,
  valLoss: 2.1,
  valAcc,
  seconds: 3,
  imagesPerSec: 85,
});
const attachInput = (slug: string, overrides: Record<string, unknown> = {}) => ({
  slug,
  config: previewConfig,
  metrics: [epoch(0, 0.2), epoch(1, 0.3)],
  backend: "webgl (WebGL 2)",
  ...overrides,
});

describe("previews.attach", () => {
  it("stores a finished preview as a succeeded preview run with its epochs and summary, in the comparison's view", async () => {
    const { slug } = await newComparison();
    const { runId } = await callerFor(t.db, alice).previews.attach(attachInput(slug));
    const [run] = await t.db.select().from(runs).where(eq(runs.id, runId));
    expect(run).toMatchObject({
      kind: "preview",
      status: "succeeded",
      epochsCompleted: 2,
      totalEpochs: 2,
      bestValAcc: 0.3,
      finalValAcc: 0.3,
      bestEpoch: 1,
      trainSeconds: 6,
      backend: "browser webgl (WebGL 2)",
    });
    expect(run!.config).toMatchObject({ trainLimit: 256, testLimit: 64, epochs: 2, model: "keras-cifar10-cnn" });
    const rows = await t.db.select().from(epochMetrics).where(eq(epochMetrics.runId, runId));
    expect(rows).toHaveLength(2);

    const view = await callerFor(t.db, null).comparisons.bySlug({ slug });
    const preview = view.runs.find((r) => r.id === runId)!;
    expect(preview).toMatchObject({ kind: "preview", label: "SGD · constant 0.1 (preview)", group: `preview:${run!.configHash}` });
    expect(view.runs.find((r) => r.id !== runId)).toMatchObject({ kind: "full", label: "SGD · constant 0.1" });
    const metrics = await callerFor(t.db, null).metrics.forComparison({ slug });
    expect(metrics[runId]?.valAcc).toEqual([0.2, 0.3]);
  });

  it("only the owner may attach; a private comparison is NOT_FOUND to others", async () => {
    const open = await newComparison("public");
    expect((await failure(callerFor(t.db, bob).previews.attach(attachInput(open.slug)))).code).toBe("FORBIDDEN");
    expect((await failure(callerFor(t.db, null).previews.attach(attachInput(open.slug)))).code).toBe("UNAUTHORIZED");
    const hidden = await newComparison("private");
    expect((await failure(callerFor(t.db, bob).previews.attach(attachInput(hidden.slug)))).code).toBe("NOT_FOUND");
    expect(await t.db.select().from(runs).where(eq(runs.comparisonId, hidden.id))).toHaveLength(1);
  });

  it("validates the config and the metrics, and stores nothing when they are wrong", async () => {
    const { slug, id } = await newComparison();
    const caller = callerFor(t.db, alice);
    const noLimits = await failure(caller.previews.attach(attachInput(slug, { config: { ...previewConfig, trainLimit: undefined } })));
    expect(noLimits).toMatchObject({ code: "BAD_REQUEST" });
    expect(noLimits.message).toContain("config.trainLimit: is required for a preview");
    const badConfig = await failure(caller.previews.attach(attachInput(slug, { config: { ...previewConfig, batchSize: 0 } })));
    expect(badConfig.message).toContain("config.batchSize: must be ≥ 1");
    const unfinished = await failure(caller.previews.attach(attachInput(slug, { metrics: [epoch(0, 0.2)] })));
    expect(unfinished.message).toContain("metrics: must hold epochs 0 to 1 in order");
    const badMetric = await failure(
      caller.previews.attach(attachInput(slug, { metrics: [epoch(0, 0.2), { ...epoch(1, 0.3), loss: "low" }] })),
    );
    expect(badMetric.code).toBe("BAD_REQUEST");
    expect(await t.db.select().from(runs).where(eq(runs.comparisonId, id))).toHaveLength(1);
  });

  it("caps the preview results per comparison", async () => {
    const { slug } = await newComparison();
    const caller = callerFor(t.db, alice);
    for (let i = 0; i < MAX_PREVIEWS_PER_COMPARISON; i++) await caller.previews.attach(attachInput(slug));
    expect((await failure(caller.previews.attach(attachInput(slug)))).code).toBe("TOO_MANY_REQUESTS");
  });

  it("a preview result cannot be re-run by a worker, and forks leave previews behind", async () => {
    const { slug } = await newComparison();
    const { runId } = await callerFor(t.db, alice).previews.attach(attachInput(slug));
    expect((await failure(callerFor(t.db, alice).runs.rerun({ runId }))).code).toBe("BAD_REQUEST");
    const fork = await callerFor(t.db, bob).comparisons.fork({ slug });
    const forked = await callerFor(t.db, bob).comparisons.bySlug({ slug: fork.slug });
    expect(forked.runs.map((r) => r.kind)).toEqual(["full"]);
  });
});

describe("previews.toFullRun", () => {
  it("queues the previewed config without subset limits, with the run's own epochs", async () => {
    const { slug, id } = await newComparison();
    const { runId } = await callerFor(t.db, alice).previews.toFullRun({ slug, config: previewConfig, epochs: 20 });
    const [run] = await t.db.select().from(runs).where(eq(runs.id, runId));
    expect(run).toMatchObject({ kind: "full", status: "queued", comparisonId: id, totalEpochs: 20 });
    expect(run!.config).not.toHaveProperty("trainLimit");
    expect(run!.config).not.toHaveProperty("testLimit");
    // The same config as the comparison's first run (queued with 20 epochs, no limits): same hash.
    const [first] = await t.db.select().from(runs).where(eq(runs.comparisonId, id)).orderBy(runs.createdAt).limit(1);
    expect(run!.configHash).toBe(first!.configHash);
  });

  it("applies the owner rule, the epoch limit and the queue quota", async () => {
    const { slug } = await newComparison();
    expect((await failure(callerFor(t.db, bob).previews.toFullRun({ slug, config: previewConfig }))).code).toBe("FORBIDDEN");
    const tooLong = await failure(
      callerFor(t.db, alice).previews.toFullRun({ slug, config: previewConfig, epochs: TEST_LIMITS.maxEpochs + 1 }),
    );
    expect(tooLong.message).toContain(`epochs: must be ≤ ${TEST_LIMITS.maxEpochs}`);
    const full = await failure(
      callerFor(t.db, alice, { ...TEST_LIMITS, maxQueuedRuns: 1 }).previews.toFullRun({ slug, config: previewConfig }),
    );
    expect(full.code).toBe("TOO_MANY_REQUESTS");
  });
});
