/** Shared by the queue, worker and service tests: small valid configs and epoch records. */
import type { RunConfigInput } from "../../training/config";
import type { EpochMetrics } from "../../training/metrics";

export function tinyConfig(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    model: "tiny-cnn",
    epochs: 2,
    batchSize: 32,
    optimizer: { kind: "sgd" },
    schedule: { kind: "constant", lr: 0.01 },
    trainLimit: 256,
    testLimit: 128,
    ...overrides,
  };
}

export function fakeMetrics(epoch: number, valAcc: number): EpochMetrics {
  return {
    epoch,
    lr: 0.01,
    loss: 2 - epoch / 10,
    acc: valAcc + 0.05,
    valLoss: 2.1 - epoch / 10,
    valAcc,
    testLoss: 2.2 - epoch / 10,
    testAcc: valAcc - 0.05,
    seconds: 1.5,
    imagesPerSec: 170,
  };
}
