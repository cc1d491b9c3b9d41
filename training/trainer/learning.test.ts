import { beforeAll, expect, it } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig } from "../config";
import { loadCifar10 } from "../data/node";
import { testDataDir } from "../testing/dataDir";
import { train } from "./train";

beforeAll(async () => {
  await initNodeBackend("auto");
});

// The seed CNN on 2,000 real CIFAR-10 images (JPEG re-encodings, so a point or two below the
// official pixels): two epochs of Adam must lower the loss and lift test accuracy well above
// chance (10%). About a minute on the wasm backend.
it("keras-cifar10-cnn learns CIFAR-10: loss falls, test accuracy clears chance", { timeout: 600_000 }, async () => {
  const config = parseRunConfig({
    model: "keras-cifar10-cnn",
    epochs: 2,
    batchSize: 32,
    optimizer: { kind: "adam" },
    schedule: { kind: "constant", lr: 0.001 },
    seed: 1,
    trainLimit: 2000,
    testLimit: 500,
  });
  const data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 2000, testLimit: 500 });
  const result = await train({ config, data });
  expect(result.outcome).toBe("succeeded");
  const [first, last] = [result.epochs[0]!, result.epochs.at(-1)!];
  expect(last.loss).toBeLessThan(first.loss);
  expect(last.valLoss).toBeLessThan(Math.log(10)); // below the loss of a uniform guess
  expect(last.valAcc).toBeGreaterThan(0.2);
});
