/**
 * A finished run reaches the leaderboard through the real worker process.
 *
 * Runs with a train/test limit never count, so this run has none: instead the worker's data
 * directory (LRLAB_DATA_DIR) is a cache prepared from the same CIFAR-10 source with 10 images per
 * class and split, which the worker reads as "the full dataset". The leaderboard's rule is
 * untouched; only the data behind it is small.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { submitRun } from "../../server/queue/service";
import { prepareCifar10 } from "../../training/data/node";
import { childEnv, killAll, runCli } from "../service/processes";
import { callerFor, createUser } from "../web/harness";
import { boardRow, fullConfig, makeComparison } from "./helpers";

describe.each(testDbTargets())("leaderboard after a real worker on %s", (target) => {
  let t: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "lrlab-lb-data-"));
    const manifest = await prepareCifar10({ dataDir, maxPerClass: 10 });
    expect(manifest.splits.train.count).toBe(100);
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await killAll();
    await t?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("shows a public, unlimited run once the worker has finished it", async () => {
    const owner = await createUser(t.db, "grace");
    const comparison = await makeComparison(t.db, owner.id, "public");
    const run = await submitRun(t.db, { config: fullConfig({ epochs: 2, batchSize: 50, seed: 3 }), comparisonId: comparison.id });
    const board = callerFor(t.db, null).leaderboard;
    expect((await board.list({})).total).toBe(0); // queued runs do not count

    const worker = await runCli(["worker", "--once", "--poll-ms", "100"], childEnv({ DATABASE_URL: t.url, LRLAB_DATA_DIR: dataDir }));
    expect(worker.code, worker.err.join("\n")).toBe(0);
    expect(worker.out.some((l) => l.includes(`finished run ${run.id}: succeeded after 2 epochs`))).toBe(true);

    const row = await boardRow(t.db, run.configHash);
    expect(row).toMatchObject({ n: 1, diverged: 0, failed: 0, epochs: 2, batchSize: 50, model: "tiny-cnn", stdAcc: null, ciLow: null });
    expect(row!.curve).toHaveLength(2);
    const page = await board.list({});
    expect(page.total).toBe(1);
    const [listed] = page.rows;
    expect(listed).toMatchObject({
      configHash: run.configHash,
      n: 1,
      standing: "n<2",
      comparisons: [{ slug: comparison.shareSlug, title: comparison.title }],
    });
    expect(listed!.meanAcc).toBeGreaterThanOrEqual(0);
    expect(listed!.meanAcc).toBeLessThanOrEqual(1);
    expect(listed!.backends).not.toBe("");
    const detail = await board.config({ configHash: run.configHash });
    expect(detail.runs).toEqual([
      expect.objectContaining({
        id: run.id,
        seed: 3,
        status: "succeeded",
        counted: true,
        comparison: { slug: comparison.shareSlug, title: comparison.title },
      }),
    ]);
    expect(detail.runs[0]!.finalValAcc).toBe(listed!.meanAcc);
  });
});
