import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../config";
import type { Split } from "../data/split";
import type { EpochMetrics } from "../metrics";
import type { TrainOptions, TrainResult } from "../trainer/types";
import { tuneLr, type TuneEvent } from "./protocol";

const base = parseRunConfig({
  model: "tiny-cnn",
  epochs: 6,
  batchSize: 32,
  optimizer: { kind: "sgd" },
  schedule: { kind: "constant", lr: 0.1 },
  seed: 10,
  trainLimit: 1000,
  valSplit: 100,
});
const empty: Split = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };

/**
 * A stand-in trainer: validation accuracy grows with the epoch and peaks at lr = 10^−2.1; lr ≥ 1
 * diverges. It resumes at the epoch its checkpoint names and pauses when the signal fires, like train().
 */
function fakeTrain(calls: { lr: number; from: number; seed: number; evaluateTest: boolean }[]) {
  return async (options: TrainOptions): Promise<TrainResult> => {
    const lr = (options.config.schedule as { lr: number }).lr;
    const from = options.resume ? options.resume[0]! : 0;
    calls.push({ lr, from, seed: options.config.seed, evaluateTest: options.evaluateTest ?? true });
    if (lr >= 1) return { outcome: "diverged", epochs: [], reason: "loss is NaN" };
    const score = 1 - Math.abs(Math.log10(lr) + 2.1) / 5;
    const epochs: EpochMetrics[] = [];
    for (let epoch = from; epoch < options.config.epochs; epoch++) {
      if (options.signal?.aborted) return { outcome: "aborted", epochs, checkpoint: Uint8Array.of(epoch) };
      const valAcc = (score * (epoch + 1)) / options.config.epochs;
      const metrics: EpochMetrics = { epoch, lr, loss: 1, acc: valAcc, valLoss: 1, valAcc, seconds: 1, imagesPerSec: 1 };
      if (options.evaluateTest !== false) Object.assign(metrics, { testLoss: 1, testAcc: valAcc - 0.01 * options.config.seed });
      epochs.push(metrics);
      await options.onEpoch?.({ metrics, checkpoint: Uint8Array.of(epoch + 1) });
    }
    return { outcome: "succeeded", epochs };
  };
}

describe("tuned comparison protocol", () => {
  it("halves at ⅓ and ⅔, picks the best validation accuracy, re-runs it with k seeds on the test set", async () => {
    const calls: { lr: number; from: number; seed: number; evaluateTest: boolean }[] = [];
    const events: TuneEvent[] = [];
    const result = await tuneLr(
      base,
      { n: 8, k: 3, halving: true },
      { train: fakeTrain(calls), data: { train: empty, test: empty }, onEvent: (e) => events.push(e) },
    );
    // lrs 10^(−4 + 4i/7); distance of the exponent from −2.1 ranks them 3, 4, 2, 5, 1, 6, 0; lr 1 (7) diverges.
    const lr = (i: number) => 10 ** (-4 + (4 * i) / 7);
    const stopped = events.filter((e) => e.phase === "stopped").map((e) => [e.afterEpochs, e.lr]);
    expect(stopped.map(([at]) => at)).toEqual([2, 2, 2, 4, 4]);
    stopped.forEach(([, v], k) => expect(v).toBeCloseTo(lr([1, 6, 0, 2, 5][k]!), 12));
    expect(result.sweep.map((c) => [c.outcome, c.epochs])).toEqual([
      ["stopped", 2],
      ["stopped", 2],
      ["stopped", 4],
      ["completed", 6],
      ["completed", 6],
      ["stopped", 4],
      ["stopped", 2],
      ["diverged", 0],
    ]);
    expect(result.lr).toBeCloseTo(lr(3), 12);
    // Stopped runs are never resumed; survivors resume where they paused.
    const sweepCalls = calls.slice(0, calls.length - 3);
    const starts = (i: number) => sweepCalls.filter((c) => Math.abs(c.lr - lr(i)) < 1e-15).map((c) => c.from);
    expect([0, 1, 2, 3, 4, 5, 6].map(starts)).toEqual([[0], [0], [0, 2], [0, 2, 4], [0, 2, 4], [0, 2], [0]]);
    // Selection never asked for the test set; the k final runs did, one per seed.
    expect(sweepCalls.every((c) => !c.evaluateTest)).toBe(true);
    expect(calls.slice(-3).map((c) => [c.seed, c.evaluateTest])).toEqual([
      [10, true],
      [11, true],
      [12, true],
    ]);
    const score = 1 - Math.abs(-4 + 12 / 7 + 2.1) / 5;
    expect(result.final.map((f) => f.seed)).toEqual([10, 11, 12]);
    result.final.forEach((f) => expect(f.testAcc).toBeCloseTo(score - 0.01 * f.seed, 12));
  });

  it("without halving trains every lr to the end", async () => {
    const calls: { lr: number; from: number; seed: number; evaluateTest: boolean }[] = [];
    const result = await tuneLr(
      base,
      { n: 4, k: 1, lrRange: [1e-3, 1e-1] },
      { train: fakeTrain(calls), data: { train: empty, test: empty } },
    );
    expect(result.sweep.map((c) => c.outcome)).toEqual(["completed", "completed", "completed", "completed"]);
    expect(calls.filter((c) => c.from > 0)).toEqual([]);
    // 10^−2.1 is nearest to 10^(−3 + 2/3).
    expect(result.lr).toBeCloseTo(10 ** (-3 + 2 / 3), 12);
  });

  it("needs a validation split", async () => {
    const { valSplit: _, ...noSplit } = base;
    await expect(tuneLr(noSplit, {}, { train: fakeTrain([]), data: { train: empty, test: empty } })).rejects.toThrow(/valSplit/);
  });
});
