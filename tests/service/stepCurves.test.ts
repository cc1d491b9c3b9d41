/**
 * Per-step curves through the real service: a worker process trains a oneCycle run of 250 steps
 * per epoch, and `lrlab status` shows the stored, downsampled curve.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { submitRun } from "../../server/queue/service";
import type { StepColumns } from "../../training/stepCurve";
import { childEnv, killAll, runCli } from "./processes";

const schedule = { kind: "oneCycle", maxLr: 0.05, pctStart: 0.3 };
const config = {
  model: "tiny-cnn",
  epochs: 2,
  batchSize: 2,
  optimizer: { kind: "sgd", momentum: 0.9 },
  schedule,
  seed: 4,
  trainLimit: 500, // 250 steps per epoch → points of k = 3 steps, 84 per epoch
  testLimit: 20,
};

// One target: the store is the same SQL on both, and the training is the slow part.
describe.each(testDbTargets().slice(0, 1))("per-step curves on %s", (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await killAll();
    await t?.drop();
  });

  it("stores ≤ 100 points per epoch whose lr is the schedule CLI's and whose mean loss makes the epoch's loss", async () => {
    const run = await submitRun(t.db, { config });
    const env = childEnv({ DATABASE_URL: t.url });
    const worker = await runCli(["worker", "--once", "--poll-ms", "100"], env);
    expect(worker.code, worker.err.join("\n")).toBe(0);

    const status = await runCli(["status", run.id], env);
    expect(status.code, status.err.join("\n")).toBe(0);
    const shown = JSON.parse(status.out.join("\n")) as { epochs: { epoch: number; loss: number }[]; steps: StepColumns };
    const table = await runCli(["schedule", "--spec", JSON.stringify(schedule), "--epochs", "2", "--steps-per-epoch", "250"], env);
    const lrs = (JSON.parse(table.out.join("\n")) as { lr: number[][] }).lr.flat();

    const { steps } = shown;
    expect(steps.step).toEqual([0, 250].flatMap((start) => Array.from({ length: 84 }, (_, i) => start + 3 * i)));
    expect(steps.epoch).toEqual([...Array<number>(84).fill(0), ...Array<number>(84).fill(1)]);
    steps.step.forEach((first, i) => {
      const covered = lrs.slice(first, Math.min(first + 3, 250 * (steps.epoch[i]! + 1)));
      expect(steps.lr[i]).toBe(lrs[first]);
      expect(steps.lrMin[i]).toBe(Math.min(...covered));
      expect(steps.lrMax[i]).toBe(Math.max(...covered));
    });
    // Batches are all the same size, so the epoch's loss is the mean of its steps' losses.
    for (const { epoch, loss } of shown.epochs) {
      const at = steps.epoch.flatMap((e, i) => (e === epoch ? [i] : []));
      const total = at.reduce((sum, i) => sum + steps.loss[i]! * (i === at.at(-1) ? 1 : 3), 0);
      expect(Math.abs(total / 250 - loss)).toBeLessThan(1e-9 * loss);
    }
  }, 300_000);
});
