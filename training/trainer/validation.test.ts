/** The validation split in the trainer: held-out images never reach a training batch; val and test are measured apart. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig } from "../config";
import type { BatchOptions } from "../data/batches";
import { IMAGE_BYTES } from "../data/classes";
import type { Split } from "../data/split";
import { rng } from "../rng";
import { train } from "./train";

/** Image ids of every batch drawn for training (shuffled passes), as the trainer consumed them. */
const trainedIds: number[][] = [];
vi.mock("../data/batches", async (importOriginal) => {
  const real = await importOriginal<typeof import("../data/batches")>();
  return {
    ...real,
    iterateBatches: (split: Split, options: BatchOptions) => {
      const batches = real.iterateBatches(split, options);
      if (!options.shuffle) return batches;
      return (function* () {
        for (const batch of batches) {
          trainedIds.push(Array.from({ length: batch.size }, (_, i) => idOf(batch.x, i)));
          yield batch;
        }
      })();
    },
  };
});

/** Each image carries its index in its first two bytes; the rest is noise. */
function synthetic(count: number, seed: number): Split {
  const random = rng(seed);
  const images = Uint8Array.from({ length: count * IMAGE_BYTES }, () => Math.floor(random() * 256));
  for (let i = 0; i < count; i++) {
    images[i * IMAGE_BYTES] = i & 255;
    images[i * IMAGE_BYTES + 1] = i >> 8;
  }
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}
const idOf = (x: Float32Array, i: number) => Math.round(x[i * IMAGE_BYTES]! * 255) + 256 * Math.round(x[i * IMAGE_BYTES + 1]! * 255);

beforeAll(async () => {
  await initNodeBackend("auto");
});

describe("validation split in the trainer", () => {
  it("trains only on the rest, and reports val on the held-out images and test on the test set", async () => {
    const data = { train: synthetic(300, 1), test: synthetic(30, 2) };
    const config = parseRunConfig({
      model: "tiny-cnn",
      epochs: 2,
      batchSize: 32,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.01 },
      seed: 3,
      trainLimit: 300,
      valSplit: 50,
    });
    trainedIds.length = 0;
    const result = await train({ config, data });
    expect(result.outcome).toBe("succeeded");
    // Labels are i % 10, so the last 5 of each class are images 250…299.
    const heldOut = new Set(Array.from({ length: 50 }, (_, i) => 250 + i));
    const seen = trainedIds.flat();
    expect(seen.length).toBe(2 * 250);
    expect(seen.filter((id) => heldOut.has(id))).toEqual([]);
    expect(new Set(seen).size).toBe(250);
    expect(trainedIds.length).toBe(2 * Math.ceil(250 / 32));
    for (const m of result.epochs) {
      // Accuracies are counts over 50 (validation) and 30 (test) images.
      expect(Math.abs(m.valAcc * 50 - Math.round(m.valAcc * 50))).toBeLessThan(1e-9);
      expect(Math.abs(m.testAcc! * 30 - Math.round(m.testAcc! * 30))).toBeLessThan(1e-9);
      expect(m.valLoss).not.toBe(m.testLoss);
    }
  });

  it("without a split, validation is the test set, and all training images are trained on", async () => {
    const data = { train: synthetic(100, 4), test: synthetic(30, 5) };
    const config = parseRunConfig({
      model: "tiny-cnn",
      epochs: 1,
      batchSize: 50,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.01 },
      trainLimit: 100,
    });
    trainedIds.length = 0;
    const [m] = (await train({ config, data })).epochs;
    expect(new Set(trainedIds.flat()).size).toBe(100);
    expect(m!.valAcc).toBe(m!.testAcc);
    expect(m!.valLoss).toBe(m!.testLoss);
  });

  it("rejects a split that leaves too little to train on, naming the field", () => {
    const base = { epochs: 1, batchSize: 8, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 } };
    expect(() => parseRunConfig({ ...base, trainLimit: 100, valSplit: 100 })).toThrow(/valSplit: must leave at least 10 images/);
    expect(() => parseRunConfig({ ...base, valSplit: 15 })).toThrow(/valSplit: must be a multiple of 10/);
    expect(() => parseRunConfig({ ...base, valSplit: 30_000 })).toThrow(/valSplit: must be ≤ 25000/);
  });
});
