/**
 * A run's life through real processes: `submit` → `worker` (real trainer, tiny CNN, real CIFAR-10
 * subset) → `status`, plus cancel, divergence, bad input and a corrupt checkpoint.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpoints, runs } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { cancelRun, getRun, submitRun } from "../../server/queue/service";
import { tinyConfig } from "../../server/queue/testRuns";
import { childEnv, killAll, runCli, startCli } from "./processes";

describe.each(testDbTargets())("run lifecycle on %s", (target) => {
  let t: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    env = childEnv({ DATABASE_URL: t.url });
  });
  afterAll(async () => {
    await killAll();
    await t?.drop();
  });

  it("submit → worker → succeeded, with summary columns that match the epochs", async () => {
    const submitted = await runCli(["submit", "--config", JSON.stringify(tinyConfig({ epochs: 3, seed: 11 }))], env);
    expect(submitted.code).toBe(0);
    const id = submitted.out[0]!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const worker = await runCli(["worker", "--once", "--poll-ms", "100"], env);
    expect(worker.code).toBe(0);
    expect(worker.out.some((l) => l.includes(`claimed run ${id} (attempt 1)`))).toBe(true);
    expect(worker.out.filter((l) => new RegExp(`run ${id} epoch \\d/3 loss [\\d.]+ val_acc [\\d.]+ \\d+ img/s`).test(l))).toHaveLength(3);
    expect(worker.out.some((l) => l.includes(`finished run ${id}: succeeded after 3 epochs`))).toBe(true);

    const status = await runCli(["status", id], env);
    expect(status.code).toBe(0);
    const { run, epochs } = JSON.parse(status.out[0]!) as Awaited<ReturnType<typeof getRun>>;
    expect(run).toMatchObject({
      id,
      status: "succeeded",
      attempts: 1,
      epochsCompleted: 3,
      totalEpochs: 3,
      error: null,
      leaseExpiresAt: null,
    });
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    const valAccs = epochs.map((e) => e.valAcc);
    expect(run.finalValAcc).toBe(valAccs[2]);
    expect(run.bestValAcc).toBe(Math.max(...valAccs));
    expect(run.bestEpoch).toBe(valAccs.indexOf(Math.max(...valAccs)));
    expect(run.finalLoss).toBe(epochs[2]!.loss);
    expect(run.backend).toBeTruthy();
    for (const e of epochs) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.valAcc).toBeGreaterThanOrEqual(0);
      expect(e.valAcc).toBeLessThanOrEqual(1);
      expect(e.imagesPerSec).toBeGreaterThan(0);
    }
    // Only the latest checkpoint is kept, and it follows the last epoch.
    const cps = await t.db
      .select({ epoch: checkpoints.epoch, midEpoch: checkpoints.midEpoch })
      .from(checkpoints)
      .where(eq(checkpoints.runId, id));
    expect(cps).toEqual([{ epoch: 2, midEpoch: false }]);
  });

  it("rejects an invalid config before queueing it, naming the fields", async () => {
    const before = await t.db.$count(runs);
    const bad = { ...tinyConfig(), epochs: 0, schedule: { kind: "step", lr: 0.1, drop: -1, epochsDrop: 10 } };
    const result = await runCli(["submit", "--config", JSON.stringify(bad)], env);
    expect(result.code).toBe(2);
    expect(result.err).toEqual(expect.arrayContaining(["epochs: must be ≥ 1", "schedule.drop: must be > 0"]));
    expect(result.out).toEqual([]);
    const unknownComparison = await runCli(
      ["submit", "--config", JSON.stringify(tinyConfig()), "--comparison", "00000000-0000-4000-8000-000000000000"],
      env,
    );
    expect(unknownComparison.code).toBe(2);
    expect(unknownComparison.err.join("\n")).toMatch(/^comparisonId: no comparison with id/m);
    expect(await t.db.$count(runs)).toBe(before);
  });

  it("cancels a running run: its worker stops promptly and writes nothing more", async () => {
    const run = await submitRun(t.db, { config: tinyConfig({ epochs: 200, trainLimit: 512, seed: 12 }) });
    const worker = startCli(["worker", "--once", "--poll-ms", "100", "--heartbeat-ms", "200"], env);
    await worker.waitFor(new RegExp(`run ${run.id} epoch 1/200`));
    const asked = Date.now();
    const { canceled } = await cancelRun(t.db, run.id);
    expect(canceled).toBe(true);
    await worker.waitFor(new RegExp(`stopped run ${run.id}: canceled`), 30_000);
    const latencyMs = Date.now() - asked;
    console.log(`cancel → worker stopped in ${latencyMs} ms (${target})`);
    expect(latencyMs).toBeLessThan(5_000);
    expect((await worker.exit).code).toBe(0);
    const after = await getRun(t.db, run.id);
    expect(after.run.status).toBe("canceled");
    expect(after.run.epochsCompleted).toBe(after.epochs.length);
    expect(after.epochs.length).toBeLessThan(200);
  });

  it("records a diverged run with the reason", async () => {
    const run = await submitRun(t.db, { config: tinyConfig({ schedule: { kind: "constant", lr: 1000 }, seed: 13 }) });
    const worker = await runCli(["worker", "--once"], env);
    expect(worker.code).toBe(0);
    const { run: done } = await getRun(t.db, run.id);
    expect(done.status).toBe("diverged");
    expect(done.error).toMatch(/^loss .* at epoch \d+, batch \d+/); // the trainer says where and how
    expect(worker.out.some((l) => l.includes(`finished run ${run.id}: diverged`))).toBe(true);
  });

  it("fails a run whose checkpoint is corrupt, with a clear error, and keeps working", async () => {
    const broken = await submitRun(t.db, { config: tinyConfig({ seed: 14 }) });
    await t.db.insert(checkpoints).values({ runId: broken.id, epoch: 0, bytes: new Uint8Array(5000).fill(42) });
    const next = await submitRun(t.db, { config: tinyConfig({ epochs: 1, seed: 15 }) });
    const worker = startCli(["worker", "--poll-ms", "100"], env);
    await worker.waitFor(new RegExp(`finished run ${next.id}: succeeded`));
    worker.child.kill("SIGTERM");
    expect((await worker.exit).code).toBe(0);
    const { run } = await getRun(t.db, broken.id);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/checkpoint is unreadable: not an LR Lab checkpoint/);
    expect(worker.out.some((l) => l.includes(`error: run ${broken.id} failed: checkpoint is unreadable`))).toBe(true);
  });
});
