import { describe, expect, it } from "vitest";
import { parseRunConfig } from "./config";
import { configDiff } from "./configDiff";

describe("config diff", () => {
  it("lists only the differing leaves of two parsed configs, with both values", () => {
    const a = parseRunConfig({
      epochs: 20,
      batchSize: 64,
      optimizer: { kind: "sgd", momentum: 0.9 },
      schedule: { kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 },
      seed: 1,
    });
    const b = parseRunConfig({
      epochs: 20,
      batchSize: 128,
      optimizer: { kind: "sgd", momentum: 0.9, nesterov: true },
      schedule: { kind: "cosine", lr: 0.1, minLr: 0 },
      seed: 1,
      valSplit: 5000,
    });
    expect(configDiff(a, b)).toEqual([
      { path: "batchSize", a: 64, b: 128 },
      { path: "optimizer.nesterov", a: false, b: true },
      { path: "schedule.drop", a: 0.5, b: undefined },
      { path: "schedule.epochsDrop", a: 10, b: undefined },
      { path: "schedule.kind", a: "step", b: "cosine" },
      { path: "schedule.minLr", a: undefined, b: 0 },
      { path: "valSplit", a: undefined, b: 5000 },
    ]);
    expect(configDiff(a, a)).toEqual([]);
  });

  it("compares arrays whole and an object against a scalar as one field", () => {
    expect(configDiff({ m: [1, 2], s: { x: 1 } }, { m: [1, 3], s: 2 })).toEqual([
      { path: "m", a: [1, 2], b: [1, 3] },
      { path: "s", a: { x: 1 }, b: 2 },
    ]);
  });
});
