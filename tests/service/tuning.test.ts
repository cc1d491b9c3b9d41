/**
 * A tuned comparison through the web's procedure, the real queue and the worker loop: the sweep
 * on the validation split (never the test set), successive halving by pausing at rungs, the
 * selection, and the k final runs on the test set.
 */
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparisons, epochMetrics, lrTests, runs, tunings } from "../../db/schema";
import { initNodeBackend } from "../../training/backend/node";
import { IMAGE_BYTES } from "../../training/data/classes";
import type { Split } from "../../training/data/split";
import type { EpochMetrics } from "../../training/metrics";
import { rng } from "../../training/rng";
import { train } from "../../training/trainer/train";
import type { TrainOptions, TrainResult } from "../../training/trainer/types";
import { memoryLog } from "../../training/worker/log";
import { runWorker, type WorkerDeps } from "../../training/worker/worker";
import { createPgRunQueue } from "../../server/queue/pgRunQueue";
import type { SessionUser } from "../../server/api/trpc";
import { failure } from "../web/errors";
import { callerFor, createUser, startTestDb, TEST_LIMITS, type TestDb } from "../web/harness";

function synthetic(count: number, seed: number): Split {
  const random = rng(seed);
  const images = Uint8Array.from({ length: count * IMAGE_BYTES }, () => Math.floor(random() * 256));
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

let t: TestDb;
let alice: SessionUser;

beforeAll(async () => {
  await initNodeBackend("auto");
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
});

afterAll(async () => {
  await t?.close();
});

/** Runs the worker until nothing is claimable. */
async function drain(deps: Omit<WorkerDeps, "queue" | "log">): Promise<string[]> {
  const ends: string[] = [];
  const queue = createPgRunQueue(t.db);
  for (;;) {
    const report = await runWorker(
      { ...deps, queue, log: memoryLog() },
      { workerId: "w", backend: "cpu", once: true, heartbeatMs: 60_000 },
    );
    if (report.runs.length === 0) return ends;
    ends.push(...report.runs.map((r) => r.end));
  }
}

async function runsOf(tuningId: string) {
  return t.db.select().from(runs).where(eq(runs.tuningId, tuningId)).orderBy(asc(runs.createdAt), asc(runs.id));
}

const lrOf = (config: unknown) => (config as { schedule: { lr: number } }).schedule.lr;

// A scripted trainer: validation accuracy peaks at lr = 10^−2.1 and grows with the epoch (as in training/tuning's test).
const scripted =
  (calls: { lr: number; from: number; evaluateTest: boolean }[]) =>
  async (options: TrainOptions): Promise<TrainResult> => {
    const lr = lrOf(options.config);
    const from = options.resume ? options.resume[0]! : 0;
    calls.push({ lr, from, evaluateTest: options.evaluateTest ?? true });
    const score = 1 - Math.abs(Math.log10(lr) + 2.1) / 5;
    const epochs: EpochMetrics[] = [];
    for (let epoch = from; epoch < options.config.epochs; epoch++) {
      if (options.signal?.aborted) return { outcome: "aborted", epochs, checkpoint: Uint8Array.of(epoch) };
      const valAcc = (score * (epoch + 1)) / options.config.epochs;
      const metrics: EpochMetrics = { epoch, lr, loss: 1, acc: valAcc, valLoss: 1, valAcc, seconds: 1, imagesPerSec: 1 };
      if (options.evaluateTest !== false) Object.assign(metrics, { testLoss: 1, testAcc: 0.5 });
      epochs.push(metrics);
      await options.onEpoch?.({ metrics, checkpoint: Uint8Array.of(epoch + 1) });
    }
    return { outcome: "succeeded", epochs };
  };
const empty: Split = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };

describe("tuned comparison in the queue", () => {
  it("sweeps around the LR range test, halves, selects on validation and runs k seeds on test; the sweep never reads test", async () => {
    const config = {
      model: "tiny-cnn",
      epochs: 3,
      batchSize: 20,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.05 },
      trainLimit: 120,
      valSplit: 20,
    } as const;
    // An LR range test of the same config (another schedule and seed: they do not matter to it).
    await t.db.insert(lrTests).values({
      owner: alice.id,
      config: { ...config, augment: false, dataset: "cifar10", schedule: { kind: "constant", lr: 1 }, seed: 9 },
      settings: {},
      status: "succeeded",
      finishedAt: new Date(),
      result: { lr: [], loss: [], smoothLoss: [], suggestions: { valley: 0.01, steep: 0.001, minimum: null }, stoppedEarly: false },
    });
    const caller = callerFor(t.db, alice);
    await caller.comparisons.create({
      title: "tuned",
      visibility: "public",
      runs: [{ config, seeds: [5], tune: { n: 3, k: 2, halving: true } }],
    });
    const [tuning] = await t.db.select().from(tunings);
    // A decade either side of the suggestions 0.001 and 0.01.
    expect([tuning!.lrLow, tuning!.lrHigh]).toEqual([1e-4, 0.1]);
    const sweep = await runsOf(tuning!.id);
    expect(sweep.map((r) => [r.tuningRole, r.seed, r.pauseAfter])).toEqual([
      ["sweep", 5, 1],
      ["sweep", 5, 1],
      ["sweep", 5, 1],
    ]);
    [1e-4, 10 ** -2.5, 0.1].forEach((lr, i) => expect(lrOf(sweep[i]!.config)).toBeCloseTo(lr, 12));

    // Every read of the test split is logged with the role of the run being trained.
    let training = "none";
    const reads: string[] = [];
    const realTest = synthetic(30, 2);
    const test = new Proxy(realTest, {
      get(target, key, receiver) {
        reads.push(training);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const spyTrain = async (options: TrainOptions): Promise<TrainResult> => {
      const [running] = await t.db.select({ role: runs.tuningRole }).from(runs).where(eq(runs.status, "running"));
      training = running?.role ?? "none";
      try {
        return await train(options);
      } finally {
        training = "none";
      }
    };
    const ends = await drain({ train: spyTrain, loadData: async () => ({ train: synthetic(120, 1), test }) });
    // Rung 1: three pause; rung 2: the two kept pause; the one left finishes; then the two final runs.
    expect(ends).toEqual(["paused", "paused", "paused", "paused", "paused", "succeeded", "succeeded", "succeeded"]);
    expect(reads.filter((r) => r === "sweep")).toEqual([]);
    expect(reads.filter((r) => r === "final").length).toBeGreaterThan(0);

    const all = await runsOf(tuning!.id);
    const swept = all.filter((r) => r.tuningRole === "sweep");
    expect(swept.map((r) => [r.status, r.epochsCompleted]).sort()).toEqual([
      ["canceled", 1],
      ["canceled", 2],
      ["succeeded", 3],
    ]);
    const stoppedFirst = swept.find((r) => r.epochsCompleted === 1)!;
    expect(stoppedFirst.error).toBe("stopped by successive halving after 1 epochs");
    // The run stopped at rung 1 had the lowest validation accuracy there (ties: the later lr).
    const firstEpoch = await t.db.select().from(epochMetrics).where(eq(epochMetrics.epoch, 0));
    const at1 = (id: string) => firstEpoch.find((m) => m.runId === id)!.valAcc;
    for (const other of swept.filter((r) => r.id !== stoppedFirst.id)) expect(at1(other.id)).toBeGreaterThanOrEqual(at1(stoppedFirst.id));
    // No sweep epoch has a test measurement.
    const sweepEpochs = (await t.db.select().from(epochMetrics)).filter((m) => swept.some((r) => r.id === m.runId));
    expect(sweepEpochs.length).toBe(6);
    expect(sweepEpochs.every((m) => m.testAcc === null)).toBe(true);

    const winner = swept.find((r) => r.status === "succeeded")!;
    const [after] = await t.db.select().from(tunings);
    expect(after).toMatchObject({ phase: "final", selectedLr: lrOf(winner.config) });
    const finals = all.filter((r) => r.tuningRole === "final");
    expect(finals.map((r) => [r.seed, r.status, lrOf(r.config)])).toEqual([
      [5, "succeeded", lrOf(winner.config)],
      [6, "succeeded", lrOf(winner.config)],
    ]);
    // The final runs train on the whole training set and are measured on the 30 test images.
    expect(finals.map((r) => (r.config as { valSplit?: number }).valSplit)).toEqual([undefined, undefined]);
    const finalEpochs = (await t.db.select().from(epochMetrics)).filter((m) => finals.some((r) => r.id === m.runId));
    for (const m of finalEpochs) expect(Math.abs(m.testAcc! * 30 - Math.round(m.testAcc! * 30))).toBeLessThan(1e-9);
  }, 240_000);

  it("halving stops the worse half at ⅓ and ⅔ and resumes the rest from their checkpoints", async () => {
    await t.db.delete(tunings);
    const calls: { lr: number; from: number; evaluateTest: boolean }[] = [];
    const caller = callerFor(t.db, alice);
    const config = {
      model: "tiny-cnn",
      epochs: 6,
      batchSize: 32,
      optimizer: { kind: "sgd" },
      schedule: { kind: "cosine", lr: 0.1, minLr: 0 },
      trainLimit: 1000,
      valSplit: 100,
    } as const;
    await caller.comparisons.create({
      title: "halving",
      visibility: "private",
      runs: [{ config, seeds: [10], tune: { n: 8, k: 3, halving: true } }],
    });
    await drain({ train: scripted(calls), loadData: async () => ({ train: empty, test: empty }) });

    const [tuning] = await t.db.select().from(tunings);
    const all = await runsOf(tuning!.id);
    const swept = all.filter((r) => r.tuningRole === "sweep");
    // lrs 10^(−4 + 4i/7): distance of the exponent from −2.1 ranks them 3, 4, 2, 5, 1, 6, 0, 7.
    expect(swept.map((r) => [r.status, r.epochsCompleted])).toEqual([
      ["canceled", 2],
      ["canceled", 2],
      ["canceled", 4],
      ["succeeded", 6],
      ["succeeded", 6],
      ["canceled", 4],
      ["canceled", 2],
      ["canceled", 2],
    ]);
    // Stopped runs are never resumed; survivors resume where they paused.
    const lr = (i: number) => 10 ** (-4 + (4 * i) / 7);
    const starts = (i: number) => calls.filter((c) => !c.evaluateTest && Math.abs(c.lr - lr(i)) < 1e-15).map((c) => c.from);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(starts)).toEqual([[0], [0], [0, 2], [0, 2, 4], [0, 2, 4], [0, 2], [0], [0]]);
    expect(tuning!.selectedLr).toBeCloseTo(lr(3), 12);
    expect(all.filter((r) => r.tuningRole === "final").map((r) => [r.seed, r.status])).toEqual([
      [10, "succeeded"],
      [11, "succeeded"],
      [12, "succeeded"],
    ]);
    const finalLrs = calls.filter((c) => c.evaluateTest).map((c) => c.lr);
    expect(finalLrs).toHaveLength(3);
    for (const v of finalLrs) expect(v).toBeCloseTo(lr(3), 12);
  });

  it("marks the leaderboard rows of a tuning's final runs as tuned, and no other", async () => {
    await t.db.delete(tunings);
    const caller = callerFor(t.db, alice);
    // The budget track: its final runs (no split held out) are ranked; its sweep runs (with a split) are not.
    const config = {
      model: "tiny-cnn",
      epochs: 2,
      batchSize: 32,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.1 },
      trainLimit: 10_000,
    } as const;
    await caller.comparisons.create({
      title: "tuned on the budget track",
      visibility: "public",
      runs: [
        { config: { ...config, valSplit: 100 }, seeds: [0], tune: { n: 2, k: 2, halving: false } },
        { config: { ...config, schedule: { kind: "constant", lr: 0.5 } }, seeds: [0, 1] },
      ],
    });
    await drain({ train: scripted([]), loadData: async () => ({ train: empty, test: empty }) });
    const page = await caller.leaderboard.list({ track: "budget" });
    // lrs 1e-4 and 1: 10^−4 is nearer the scripted peak at 10^−2.1, so it is selected.
    const rows = page.rows.map((row) => [row.schedule, row.n, row.tuned]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rows).toEqual([
      ["constant 0.0001", 2, true],
      ["constant 0.5", 2, false],
    ]);
  });

  it("a fork starts each tuning afresh, with its settings and lr range, and copies only the plain runs", async () => {
    await t.db.delete(tunings);
    const bob = await createUser(t.db, "bob-forks");
    const config = {
      model: "tiny-cnn",
      epochs: 3,
      batchSize: 32,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.1 },
      trainLimit: 1000,
    } as const;
    const { slug } = await callerFor(t.db, alice).comparisons.create({
      title: "to fork",
      visibility: "public",
      runs: [
        { config: { ...config, valSplit: 100 }, seeds: [7], tune: { n: 3, k: 2, halving: true } },
        { config, seeds: [1] },
      ],
    });
    await drain({ train: scripted([]), loadData: async () => ({ train: empty, test: empty }) });
    const [source] = await t.db.select().from(tunings);
    expect(source!.phase).toBe("final");

    // 1 plain run + 3 sweep runs + 2 final seeds: 6, one more than a cap of 5 allows.
    const capped = callerFor(t.db, bob, { ...TEST_LIMITS, maxRunsPerComparison: 5 });
    expect((await failure(capped.comparisons.fork({ slug }))).message).toMatch(/would make 6 runs/);

    const fork = await callerFor(t.db, bob).comparisons.fork({ slug });
    const [forked] = await t.db.select().from(comparisons).where(eq(comparisons.shareSlug, fork.slug));
    const [copy, ...others] = await t.db.select().from(tunings).where(eq(tunings.comparisonId, forked!.id));
    expect(others).toEqual([]);
    expect(copy).toMatchObject({
      owner: bob.id,
      baseConfig: source!.baseConfig,
      n: 3,
      k: 2,
      halving: true,
      lrLow: source!.lrLow,
      lrHigh: source!.lrHigh,
      lrTestId: source!.lrTestId,
      phase: "sweep",
      selectedLr: null,
    });
    const forkRuns = await t.db.select().from(runs).where(eq(runs.comparisonId, forked!.id)).orderBy(asc(runs.createdAt), asc(runs.id));
    expect(forkRuns.map((r) => [r.tuningRole, r.tuningId === copy!.id, r.status, r.seed, r.pauseAfter])).toEqual([
      [null, false, "queued", 1, null],
      ["sweep", true, "queued", 7, 1],
      ["sweep", true, "queued", 7, 1],
      ["sweep", true, "queued", 7, 1],
    ]);
    expect(forkRuns.every((r) => r.owner === bob.id)).toBe(true);
  });

  it("names the field: a tuned draft needs a validation split, one seed and a schedule with an lr; quotas count the whole tuning", async () => {
    const caller = callerFor(t.db, alice);
    const base = { epochs: 3, batchSize: 32, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 }, trainLimit: 64 } as const;
    const noSplit = await failure(
      caller.comparisons.create({ title: "x", visibility: "private", runs: [{ config: base, seeds: [0], tune: {} }] }),
    );
    expect(noSplit.message).toMatch(/^runs\[0\]\.config\.valSplit: a tuned run needs a validation split/);
    const twoSeeds = await failure(
      caller.comparisons.create({
        title: "x",
        visibility: "private",
        runs: [{ config: { ...base, valSplit: 10 }, seeds: [0, 1], tune: {} }],
      }),
    );
    expect(twoSeeds.message).toMatch(/runs\[0\]\.seeds: a tuned run takes one seed/);
    const linear = await failure(
      caller.comparisons.create({
        title: "x",
        visibility: "private",
        runs: [{ config: { ...base, valSplit: 10, schedule: { kind: "linear", from: 0.1, to: 0 } }, seeds: [0], tune: {} }],
      }),
    );
    expect(linear.message).toMatch(/runs\[0\]\.config\.schedule\.kind: 'linear' has no lr field to tune/);
    const badN = await failure(
      caller.comparisons.create({
        title: "x",
        visibility: "private",
        runs: [{ config: { ...base, valSplit: 10 }, seeds: [0], tune: { n: 1 } }],
      }),
    );
    expect(badN.issues).toEqual(["runs[0].tune.n: must be ≥ 2"]);
    // 8 + 3 = 11 runs against a cap of 10 per comparison.
    const capped = callerFor(t.db, alice, { ...TEST_LIMITS, maxRunsPerComparison: 10 });
    const over = await failure(
      capped.comparisons.create({ title: "x", visibility: "private", runs: [{ config: { ...base, valSplit: 10 }, seeds: [0], tune: {} }] }),
    );
    expect(over.message).toMatch(/would make 11 runs/);
  });
});
