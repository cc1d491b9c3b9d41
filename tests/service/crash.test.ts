/**
 * Crash safety with real processes and the real trainer: a worker killed with SIGKILL mid-run,
 * and one stopped with SIGTERM mid-epoch, are resumed by a second worker from the stored
 * checkpoint; the run ends with every epoch exactly once, equal to an uninterrupted run.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpoints, runs, type EpochMetricsRow } from "../../db/schema";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { getRun, submitRun } from "../../server/queue/service";
import { tinyConfig } from "../../server/queue/testRuns";
import { childEnv, killAll, runCli, startCli } from "./processes";

const EPOCHS = 6;
const config = tinyConfig({ epochs: EPOCHS, trainLimit: 512, testLimit: 128, seed: 21 });
// Reuse would copy the reference run instead of training: these tests need real resumes.
const WORKER = ["worker", "--no-reuse", "--poll-ms", "100", "--lease-ms", "1500", "--heartbeat-ms", "300"];

/** What must be identical between runs (timings are not). */
const learning = (epochs: EpochMetricsRow[]) =>
  epochs.map(({ epoch, lr, loss, acc, valLoss, valAcc }) => ({ epoch, lr, loss, acc, valLoss, valAcc }));

describe.each(testDbTargets())("crash safety on %s", (target) => {
  let t: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let reference: EpochMetricsRow[];

  beforeAll(async () => {
    t = await createTestDatabase(target);
    env = childEnv({ DATABASE_URL: t.url });
    const run = await submitRun(t.db, { config });
    const worker = await runCli([...WORKER, "--once"], env);
    expect(worker.code).toBe(0);
    const done = await getRun(t.db, run.id);
    expect(done.run.status).toBe("succeeded");
    reference = done.epochs;
  });
  afterAll(async () => {
    await killAll();
    await t?.drop();
  });

  it("resumes after kill -9 from the last checkpoint, each epoch exactly once", async () => {
    const run = await submitRun(t.db, { config });
    const doomed = startCli(WORKER, env);
    await doomed.waitFor(new RegExp(`run ${run.id} epoch 2/${EPOCHS}`));
    doomed.child.kill("SIGKILL");
    expect((await doomed.exit).signal).toBe("SIGKILL");
    const [orphan] = await t.db.select().from(runs).where(eq(runs.id, run.id));
    expect(orphan).toMatchObject({ status: "running", attempts: 1 });
    const storedBefore = orphan!.epochsCompleted;
    expect(storedBefore).toBeGreaterThanOrEqual(2);
    expect(storedBefore).toBeLessThan(EPOCHS);

    // Not --once: it must wait for the dead worker's lease to run out, then take the run over.
    const rescuer = startCli(WORKER, env);
    await rescuer.waitFor(new RegExp(`finished run ${run.id}: succeeded`));
    rescuer.child.kill("SIGTERM");
    expect((await rescuer.exit).code).toBe(0);
    expect(rescuer.out.join("\n")).toContain(`claimed run ${run.id} (attempt 2, its previous worker stopped renewing the lease)`);
    expect(rescuer.out.join("\n")).toContain(`resuming run ${run.id} from its checkpoint after epoch ${storedBefore} of ${EPOCHS}`);
    // The rescuer trained only the epochs that were missing.
    expect(rescuer.out.filter((l) => l.includes(`run ${run.id} epoch `))).toHaveLength(EPOCHS - storedBefore);

    const { run: done, epochs } = await getRun(t.db, run.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, epochsCompleted: EPOCHS });
    expect(learning(epochs)).toEqual(learning(reference));
  });

  it("on SIGTERM checkpoints mid-epoch, releases the run and exits 0; the next worker continues it", async () => {
    const run = await submitRun(t.db, { config });
    const stopping = startCli(WORKER, env);
    await stopping.waitFor(new RegExp(`run ${run.id} epoch 2/${EPOCHS}`));
    await new Promise((resolve) => setTimeout(resolve, 60)); // a few batches into epoch 3
    stopping.child.kill("SIGTERM");
    expect((await stopping.exit).code).toBe(0);
    expect(stopping.out.join("\n")).toContain(`released run ${run.id} at a batch boundary`);
    const [released] = await t.db.select().from(runs).where(eq(runs.id, run.id));
    expect(released).toMatchObject({ status: "queued", attempts: 0, workerId: null, leaseExpiresAt: null });
    const [cp] = await t.db
      .select({ epoch: checkpoints.epoch, midEpoch: checkpoints.midEpoch })
      .from(checkpoints)
      .where(eq(checkpoints.runId, run.id));
    expect(cp).toEqual({ epoch: released!.epochsCompleted - 1, midEpoch: true });

    const next = await runCli([...WORKER, "--once"], env);
    expect(next.code).toBe(0);
    expect(next.out.join("\n")).toContain(
      `resuming run ${run.id} from its checkpoint during epoch ${released!.epochsCompleted + 1} of ${EPOCHS}`,
    );
    const { run: done, epochs } = await getRun(t.db, run.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, epochsCompleted: EPOCHS });
    expect(learning(epochs)).toEqual(learning(reference));
  });
});
