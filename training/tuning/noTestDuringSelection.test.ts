/** The tuned protocol with the real trainer: a spy on the test data sees no read until the lr is selected. */
import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig } from "../config";
import { IMAGE_BYTES } from "../data/classes";
import type { Split } from "../data/split";
import { rng } from "../rng";
import { train } from "../trainer/train";
import { tuneLr } from "./protocol";

function synthetic(count: number, seed: number): Split {
  const random = rng(seed);
  const images = Uint8Array.from({ length: count * IMAGE_BYTES }, () => Math.floor(random() * 256));
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

beforeAll(async () => {
  await initNodeBackend("auto");
});

describe("tuned comparison on the real trainer", () => {
  it("never reads the test set while sweeping and halving, and reads it for each final seed", async () => {
    let phase = "selection";
    const reads: string[] = [];
    const real = synthetic(30, 2);
    // Every property of the test split, read by anyone, is logged with the phase it was read in.
    const test = new Proxy(real, {
      get(target, key, receiver) {
        reads.push(`${phase}:${String(key)}`);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const config = parseRunConfig({
      model: "tiny-cnn",
      epochs: 3,
      batchSize: 40,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.1 },
      seed: 5,
      trainLimit: 120,
      valSplit: 20,
    });
    const result = await tuneLr(
      config,
      { n: 3, k: 2, halving: true, lrRange: [1e-3, 1e-1] },
      {
        train,
        data: { train: synthetic(120, 1), test },
        onEvent: (event) => {
          if (event.phase === "selected") phase = "final";
        },
      },
    );
    // Rungs after epochs 1 and 2: three candidates → two → one.
    expect(result.sweep.map((c) => c.outcome).sort()).toEqual(["completed", "stopped", "stopped"]);
    expect(result.sweep.map((c) => c.epochs).sort()).toEqual([1, 2, 3]);
    expect(reads.filter((r) => r.startsWith("selection:"))).toEqual([]);
    expect(reads.some((r) => r.startsWith("final:"))).toBe(true);
    expect(result.final.map((f) => f.seed)).toEqual([5, 6]);
    // Test accuracy is a count over the 30 test images.
    for (const f of result.final) expect(Math.abs(f.testAcc * 30 - Math.round(f.testAcc * 30))).toBeLessThan(1e-9);
  });
});
