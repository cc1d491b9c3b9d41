/**
 * The trainer hands the optimizer the momentum PyTorch's OneCycleLR sets at every step, and a run
 * that cycles momentum resumes bit for bit (tiny-cnn on a few hundred real CIFAR-10 images).
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { initNodeBackend } from "../backend/node";
import { parseRunConfig, type RunConfigInput } from "../config";
import { loadCifar10 } from "../data/node";
import type { EpochMetrics } from "../metrics";
import { expectTableClose } from "../schedules/expectClose";
import { scheduleFixture } from "../schedules/fixtures";
import { testDataDir } from "../testing/dataDir";
import { train } from "./train";
import type { TrainOptions } from "./types";

const seen = vi.hoisted(() => ({ momenta: [] as (number | undefined)[] }));

vi.mock("../optimizers/keras", async (importOriginal) => {
  const keras = await importOriginal<typeof import("../optimizers/keras")>();
  return {
    ...keras,
    createOptimizer: (...args: Parameters<typeof keras.createOptimizer>) => {
      const optimizer = keras.createOptimizer(...args);
      const recording: typeof optimizer = Object.create(optimizer) as typeof optimizer;
      recording.step = (variables, grads, lr, momentum) => {
        seen.momenta.push(momentum);
        optimizer.step(variables, grads, lr, momentum);
      };
      return recording;
    },
  };
});

const reference = scheduleFixture("oneCycle three-phase, cycled momentum (SGD)");

/** 200 images in batches of 32: 7 steps per epoch, as in the fixture. */
const base: RunConfigInput = {
  model: "tiny-cnn",
  epochs: reference.epochs,
  batchSize: 32,
  optimizer: { kind: "sgd" },
  schedule: { kind: "oneCycle", maxLr: 0.1, threePhase: true, cycleMomentum: true },
  seed: 5,
  trainLimit: 200,
  testLimit: 100,
};

let data: TrainOptions["data"];
beforeAll(async () => {
  await initNodeBackend("auto");
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 200, testLimit: 100 });
});

const learned = (m: EpochMetrics) => ({ epoch: m.epoch, lr: m.lr, loss: m.loss, acc: m.acc, valLoss: m.valLoss, valAcc: m.valAcc });

describe("trainer with cycled momentum", () => {
  it("steps with PyTorch's OneCycleLR momentum, and resumes mid-epoch bit for bit", async () => {
    const config = parseRunConfig(base);
    seen.momenta = [];
    const full = await train({ config, data });
    expect(full.outcome).toBe("succeeded");
    const perEpoch = Array.from({ length: reference.epochs }, (_, e) =>
      seen.momenta.slice(e * reference.stepsPerEpoch, (e + 1) * reference.stepsPerEpoch).map((m) => m ?? null),
    );
    expect(seen.momenta).toHaveLength(reference.epochs * reference.stepsPerEpoch);
    expectTableClose(perEpoch, reference.momentum!);

    const stop = new AbortController();
    const part = await train({
      config,
      data,
      signal: stop.signal,
      onBatch: (p) => {
        if (p.epoch === 2 && p.batch === 4) stop.abort();
      },
    });
    expect(part.outcome).toBe("aborted");
    const rest = await train({ config, data, resume: part.checkpoint });
    expect([...part.epochs, ...rest.epochs].map(learned)).toEqual(full.epochs.map(learned));

    // Without cycling the same run trains differently (SGD without momentum).
    const plain = await train({ config: parseRunConfig({ ...base, schedule: { ...base.schedule, cycleMomentum: false } }), data });
    expect(plain.epochs.map((m) => m.loss)).not.toEqual(full.epochs.map((m) => m.loss));
  });
});
