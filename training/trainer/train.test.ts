import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig, type RunConfigInput } from "../config";
import { loadCifar10 } from "../data/node";
import type { EpochMetrics } from "../metrics";
import { testDataDir } from "../testing/dataDir";
import { CheckpointError } from "./checkpoint";
import { train } from "./train";
import type { TrainOptions } from "./types";

/** Mechanics run on the small model and a few hundred real CIFAR-10 images; wasm here. */
const base: RunConfigInput = {
  model: "tiny-cnn",
  epochs: 3,
  batchSize: 32,
  optimizer: { kind: "sgd", momentum: 0.9 },
  schedule: { kind: "reduceOnPlateau", lr: 0.05, patience: 0, factor: 0.5, monitor: "loss", minDelta: 10 },
  seed: 11,
  trainLimit: 200,
  testLimit: 100,
  augment: true,
};

let data: TrainOptions["data"];
beforeAll(async () => {
  await initNodeBackend("auto");
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 200, testLimit: 100 });
});

/** Everything but timing, which legitimately differs between runs. */
const learned = (m: EpochMetrics) => ({ epoch: m.epoch, lr: m.lr, loss: m.loss, acc: m.acc, valLoss: m.valLoss, valAcc: m.valAcc });

describe("trainer mechanics (tiny-cnn)", () => {
  it("reports one metrics record per epoch with the schedule's lr", async () => {
    const config = parseRunConfig(base);
    const reports: EpochMetrics[] = [];
    const result = await train({ config, data, onEpoch: ({ metrics }) => void reports.push(metrics) });
    expect(result.outcome).toBe("succeeded");
    expect(reports.map((m) => m.epoch)).toEqual([0, 1, 2]);
    expect(result.epochs).toEqual(reports);
    // The first epoch always improves on "no best yet"; after that minDelta 10 means no epoch
    // counts as an improvement, so with patience 0 the plateau halves lr after every later epoch.
    expect(reports.map((m) => m.lr)).toEqual([0.05, 0.05, 0.025]);
    for (const m of reports) {
      expect(m.acc).toBeGreaterThanOrEqual(0);
      expect(m.valAcc).toBeLessThanOrEqual(1);
      expect(m.imagesPerSec).toBeGreaterThan(0);
      expect(m.seconds).toBeGreaterThan(0);
    }
  });

  it("resuming from an epoch checkpoint or a mid-epoch abort equals an uninterrupted run", async () => {
    const config = parseRunConfig(base);
    const full = await train({ config, data });

    // Stop after epoch 0's checkpoint, then resume from it.
    let afterEpoch0: Uint8Array | undefined;
    const stopAfterEpoch = new AbortController();
    const first = await train({
      config,
      data,
      signal: stopAfterEpoch.signal,
      onEpoch: ({ checkpoint }) => {
        afterEpoch0 = checkpoint;
        stopAfterEpoch.abort();
      },
    });
    expect(first.outcome).toBe("aborted");
    const resumedFromEpoch = await train({ config, data, resume: afterEpoch0 });
    expect([...first.epochs, ...resumedFromEpoch.epochs].map(learned)).toEqual(full.epochs.map(learned));

    // Abort in the middle of epoch 1 (after its 3rd batch), then resume from the returned checkpoint.
    const midEpoch = new AbortController();
    const part = await train({
      config,
      data,
      signal: midEpoch.signal,
      onBatch: (p) => {
        if (p.epoch === 1 && p.batch === 3) midEpoch.abort();
      },
    });
    expect(part.outcome).toBe("aborted");
    expect(part.checkpoint).toBeInstanceOf(Uint8Array);
    const rest = await train({ config, data, resume: part.checkpoint });
    expect([...part.epochs, ...rest.epochs].map(learned)).toEqual(full.epochs.map(learned));
  });

  it("stops within one batch of an abort", async () => {
    const config = parseRunConfig({ ...base, epochs: 1 });
    const controller = new AbortController();
    const seen: number[] = [];
    const result = await train({
      config,
      data,
      signal: controller.signal,
      onBatch: (p) => {
        seen.push(p.batch);
        if (p.batch === 2) controller.abort();
      },
    });
    expect(result.outcome).toBe("aborted");
    expect(seen).toEqual([1, 2]);
    expect(result.epochs).toEqual([]);
  });

  it("keeps the tensor count flat from epoch to epoch and frees everything at the end", async () => {
    const config = parseRunConfig({ ...base, epochs: 4, optimizer: { kind: "adam" }, schedule: { kind: "constant", lr: 0.001 } });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await train({ config, data, onEpoch: () => void counts.push(tf.memory().numTensors) });
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("ends a run with lr = 50 as diverged", async () => {
    const config = parseRunConfig({ ...base, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 50 } });
    const result = await train({ config, data });
    expect(result.outcome).toBe("diverged");
    expect(result.reason).toMatch(/^loss (is NaN|is Infinity|[\d.e+]+ exceeds \d+) at epoch \d+, batch \d+/);
  });

  it("refuses a corrupt checkpoint or one from another run with a clear error", async () => {
    const config = parseRunConfig({ ...base, epochs: 1 });
    let checkpoint: Uint8Array | undefined;
    await train({ config, data, onEpoch: (r) => void (checkpoint = r.checkpoint) });
    const corrupt = checkpoint!.slice();
    const middle = corrupt.length >> 1;
    corrupt[middle] = corrupt[middle]! ^ 0xff;
    await expect(train({ config, data, resume: corrupt })).rejects.toThrow(CheckpointError);
    await expect(train({ config, data, resume: corrupt })).rejects.toThrow(/checksum mismatch/);
    await expect(train({ config, data, resume: checkpoint!.subarray(0, 100) })).rejects.toThrow(/checkpoint is unreadable/);
    const other = parseRunConfig({ ...base, epochs: 1, seed: 12 });
    await expect(train({ config: other, data, resume: checkpoint })).rejects.toThrow(/different config/);
  });
});
