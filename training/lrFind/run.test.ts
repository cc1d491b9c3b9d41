import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig, type RunConfigInput } from "../config";
import { loadCifar10 } from "../data/node";
import { testDataDir } from "../testing/dataDir";
import { train } from "../trainer/train";
import type { TrainOptions } from "../trainer/types";
import { lrFind } from "./run";
import { lrFindSettingsSchema } from "./rangeTest";

let data: TrainOptions["data"];
beforeAll(async () => {
  await initNodeBackend("auto");
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 640, testLimit: 32 });
});

describe("lr-find on real CIFAR-10", () => {
  it("trains exactly the steps the trainer would with the ramp as its schedule, cycling epochs", async () => {
    const base: RunConfigInput = {
      model: "tiny-cnn",
      epochs: 3,
      batchSize: 32,
      optimizer: { kind: "sgd", momentum: 0.9 },
      schedule: { kind: "constant", lr: 0.1 },
      seed: 5,
      trainLimit: 64,
      augment: true,
    };
    const train64 = { ...data.train, count: 64 };
    const settings = lrFindSettingsSchema.parse({ startLr: 1e-3, endLr: 1, numIt: 6 });
    const found = await lrFind({ config: parseRunConfig(base), train: train64, settings });
    expect(found.loss).toHaveLength(6);

    // The same ramp as a schedule over global steps; 2 batches per epoch, so 3 epochs = 6 steps.
    const ramp = parseRunConfig({ ...base, schedule: { kind: "expression", expr: "1e-3 * (1 / 1e-3) ^ (step / 6)" } });
    const steps: { lr: number; loss: number }[] = [];
    await train({
      config: ramp,
      data: { train: train64, test: data.test },
      onBatch: (p) => void steps.push({ lr: p.lr, loss: p.stepLoss }),
    });
    expect(found.lr).toEqual(steps.map((s) => s.lr));
    expect(found.loss).toEqual(steps.map((s) => s.loss));
  });
});
