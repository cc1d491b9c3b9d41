import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig, type RunConfigInput } from "../config";
import { loadCifar10 } from "../data/node";
import type { EpochMetrics } from "../metrics";
import { createModel } from "../model/model";
import type { OptimizerInput } from "../optimizers/spec";
import type { ScheduleInput } from "../schedules/spec";
import { testDataDir } from "../testing/dataDir";
import { decodeCheckpoint } from "./checkpoint";
import { evaluate, train } from "./train";
import type { TrainOptions } from "./types";

/** The new optimizers in the real trainer: tiny-cnn on 640 real CIFAR-10 images, three epochs. */
const cosine = (lr: number): ScheduleInput => ({ kind: "cosine", lr, minLr: lr / 10 });
const OPTIMIZERS: { optimizer: OptimizerInput; schedule: ScheduleInput }[] = [
  { optimizer: { kind: "adamw", weightDecay: 0.05 }, schedule: cosine(0.003) },
  { optimizer: { kind: "nadam" }, schedule: cosine(0.003) },
  { optimizer: { kind: "radam", weightDecay: 0.01 }, schedule: cosine(0.03) },
  { optimizer: { kind: "lion", weightDecay: 0.1 }, schedule: cosine(0.001) },
  // Schedule-free: a constant lr is the point.
  { optimizer: { kind: "scheduleFreeSgd", warmupSteps: 5 }, schedule: { kind: "constant", lr: 0.2 } },
  { optimizer: { kind: "scheduleFreeAdamw", warmupSteps: 5 }, schedule: { kind: "constant", lr: 0.01 } },
];

const configFor = ({ optimizer, schedule }: (typeof OPTIMIZERS)[number], epochs: number): RunConfigInput => ({
  model: "tiny-cnn",
  epochs,
  batchSize: 32,
  optimizer,
  schedule,
  seed: 5,
  trainLimit: 640,
  testLimit: 100,
});

let data: TrainOptions["data"];
beforeAll(async () => {
  await initNodeBackend("auto");
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 640, testLimit: 100 });
});

const learned = (m: EpochMetrics) => ({ epoch: m.epoch, lr: m.lr, loss: m.loss, acc: m.acc, valLoss: m.valLoss, valAcc: m.valAcc });

describe("the new optimizers in the trainer", () => {
  for (const entry of OPTIMIZERS) {
    const kind = entry.optimizer.kind;
    it(`${kind}: learns, and resuming mid-epoch equals the uninterrupted run bit for bit`, async () => {
      const config = parseRunConfig(configFor(entry, 3));
      const full = await train({ config, data });
      expect(full.outcome).toBe("succeeded");
      const [first, last] = [full.epochs[0]!, full.epochs.at(-1)!];
      expect(last.loss, "training loss falls").toBeLessThan(first.loss - 0.02);
      expect(last.valLoss, "validation loss falls").toBeLessThan(first.valLoss);

      // Abort in epoch 1 after its 4th batch (after an epoch-end evaluation), resume from there.
      const stop = new AbortController();
      const part = await train({
        config,
        data,
        signal: stop.signal,
        onBatch: (p) => {
          if (p.epoch === 1 && p.batch === 4) stop.abort();
        },
      });
      expect(part.outcome).toBe("aborted");
      const rest = await train({ config, data, resume: part.checkpoint });
      expect([...part.epochs, ...rest.epochs].map(learned)).toEqual(full.epochs.map(learned));
    });
  }

  it("schedule-free validates at x = y + (1 − 1/β)(z − y) while the checkpoint keeps y and z", async () => {
    const beta = 0.9;
    const config = parseRunConfig(
      configFor({ optimizer: { kind: "scheduleFreeSgd", momentum: beta }, schedule: { kind: "constant", lr: 0.5 } }, 1),
    );
    let checkpoint: Uint8Array | undefined;
    const result = await train({ config, data, onEpoch: (report) => void (checkpoint = report.checkpoint) });
    const saved = decodeCheckpoint(checkpoint!);
    expect(saved.slotCount).toBe(1);
    expect(saved.optimizerScalars).toHaveLength(2);
    const model = createModel(config.model, config.seed);
    const n = model.variables.length;
    const at = async (weights: (i: number) => Float32Array) => {
      tf.tidy(() => model.variables.forEach((v, i) => v.assign(tf.tensor(weights(i), v.shape))));
      return evaluate(model, data.test);
    };
    const y = (i: number) => saved.tensors[i]!;
    const x = (i: number) => y(i).map((yi, j) => yi + (1 - 1 / beta) * (saved.tensors[n + i]![j]! - yi));
    const atX = await at(x);
    const atY = await at(y);
    model.dispose();
    expect(result.epochs[0]!.valLoss).toBeCloseTo(atX.loss, 5);
    expect(Math.abs(atY.loss - atX.loss)).toBeGreaterThan(1e-4);
  });
});
