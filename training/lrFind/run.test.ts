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
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 64, testLimit: 32 });
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
    const settings = lrFindSettingsSchema.parse({ startLr: 1e-3, endLr: 1, numIt: 6 });
    const found = await lrFind({ config: parseRunConfig(base), train: data.train, settings });
    expect(found.loss).toHaveLength(6);

    // The same ramp as a schedule over global steps; 2 batches per epoch, so 3 epochs = 6 steps.
    const ramp = parseRunConfig({ ...base, schedule: { kind: "expression", expr: "1e-3 * (1 / 1e-3) ^ (step / 6)" } });
    const steps: { lr: number; loss: number }[] = [];
    await train({
      config: ramp,
      data: { train: data.train, test: data.test },
      onBatch: (p) => void steps.push({ lr: p.lr, loss: p.stepLoss }),
    });
    expect(found.lr).toEqual(steps.map((s) => s.lr));
    expect(found.loss).toEqual(steps.map((s) => s.loss));
  });

  // The seed CNN sits on its ln 10 plateau for its first ~100 steps on the full set; on 64 images
  // (two batches, cycled) Adam gets off it within this ramp. About 25 s of CPU on wasm.
  it("the seed CNN's curve falls, then rises past the valley, with every suggestion inside the ramp", { timeout: 600_000 }, async () => {
    const config = parseRunConfig({
      model: "keras-cifar10-cnn",
      epochs: 1,
      batchSize: 32,
      optimizer: { kind: "adam" },
      schedule: { kind: "constant", lr: 0.001 },
      seed: 1,
      trainLimit: 64,
    });
    const settings = lrFindSettingsSchema.parse({ startLr: 1e-4, endLr: 1, numIt: 40 });
    const r = await lrFind({ config, train: data.train, settings });
    expect(r.loss).toHaveLength(40);
    const from = 4; // numIt // 10
    const smooth = r.smoothLoss.slice(from);
    const low = from + smooth.indexOf(Math.min(...smooth));
    // Falls: the lowest smoothed loss comes well after the start of the window and well below its plateau…
    expect(low).toBeGreaterThan(from + 5);
    expect(r.smoothLoss[low]!).toBeLessThan(Math.max(...r.smoothLoss.slice(from, low)) - 0.03);
    // …then rises: by the end of the ramp it is clearly above that minimum.
    expect(r.smoothLoss.at(-1)!).toBeGreaterThan(r.smoothLoss[low]! + 0.1);
    // The valley lies on the falling stretch, strictly inside the ramp.
    expect(r.suggestions.valley!).toBeGreaterThan(r.lr[from]!);
    expect(r.suggestions.valley!).toBeLessThanOrEqual(r.lr[low]!);
    for (const lr of Object.values(r.suggestions)) {
      expect(lr).toBeGreaterThan(settings.startLr / 10);
      expect(lr).toBeLessThan(settings.endLr);
    }
  });
});
