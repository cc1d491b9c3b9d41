import { expect, it } from "vitest";
import { parseRunConfig } from "./config";
import { articleComparison } from "./presets";
import { lrTable } from "./schedules/scheduler";

it("the article's comparison is eight valid runs with the article's settings", () => {
  const runs = articleComparison(20);
  expect(runs.map((r) => r.name)).toEqual([
    "Constant lr",
    "Time-based decay",
    "Step decay",
    "Exponential decay",
    "Adagrad",
    "Adadelta",
    "RMSprop",
    "Adam",
  ]);
  const configs = runs.map((r) => parseRunConfig(r.config));
  expect(configs.every((c) => c.model === "keras-cifar10-cnn" && c.epochs === 20)).toBe(true);
  expect(configs[1]).toMatchObject({
    optimizer: { kind: "sgd", momentum: 0.8 },
    schedule: { kind: "timeBased", lr: 0.1, decay: 0.1 / 20 },
  });
  expect(configs.slice(4).map((c) => [c.optimizer.kind, c.schedule])).toEqual([
    ["adagrad", { kind: "constant", lr: 0.01 }],
    ["adadelta", { kind: "constant", lr: 1 }],
    ["rmsprop", { kind: "constant", lr: 0.001 }],
    ["adam", { kind: "constant", lr: 0.001 }],
  ]);
  // Step decay halves every 10 epochs, counted from (1 + epoch) as the article writes it.
  const step = lrTable(configs[2]!.schedule, { epochs: 20, stepsPerEpoch: 1 }).map((e) => e[0]);
  expect(step[8]).toBe(0.1);
  expect(step[9]).toBe(0.05);
  expect(step[19]).toBe(0.025);
});
