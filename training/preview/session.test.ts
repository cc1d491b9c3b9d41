import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseRunConfig } from "../config";
import { loadCifar10, MAX_SLICE_EXAMPLES } from "../data/node";
import type { Split } from "../data/split";
import { testDataDir } from "../testing/dataDir";
import { train } from "../trainer/train";
import type { EpochReport } from "../trainer/types";
import { fullRunConfig, previewConfig, PREVIEW_DEFAULTS } from "./config";
import { runPreview, startBackend, type PreviewEpoch, type PreviewProgress } from "./session";
import { prefix, SLICE_CHUNK } from "./slices";

const base = parseRunConfig({
  model: "tiny-cnn",
  epochs: 30,
  batchSize: 16,
  optimizer: { kind: "sgd", momentum: 0.9 },
  schedule: { kind: "cosine", lr: 0.05 },
  seed: 3,
});

let data: { train: Split; test: Split };
beforeAll(async () => {
  // tfjs logs its failed WebGL probes and its Node advice; keep the output readable.
  for (const level of ["error", "warn", "log"] as const) vi.spyOn(console, level).mockImplementation(() => {});
  // Under Node there is no WebGL: this is the page's cpu fallback, the same trainer code.
  expect((await startBackend("auto")).name).toBe("cpu");
  data = await loadCifar10({ dataDir: testDataDir(), trainLimit: 64, testLimit: 32 });
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe("preview configs", () => {
  it("sets the subset and epochs, and a full run drops the subset", () => {
    const preview = previewConfig(base, { trainLimit: 64, testLimit: 32, epochs: 2 });
    expect(preview).toMatchObject({ trainLimit: 64, testLimit: 32, epochs: 2, seed: 3, schedule: base.schedule });
    const full = fullRunConfig(preview, 30);
    expect(full).toEqual(base);
    expect("trainLimit" in full).toBe(false);
    expect(PREVIEW_DEFAULTS).toEqual({ trainLimit: 2000, testLimit: 500, epochs: 5 });
  });

  it("asks for slices no larger than the endpoint serves", () => {
    expect(SLICE_CHUNK).toBe(MAX_SLICE_EXAMPLES);
  });
});

describe("runPreview", () => {
  it("reports batches with lr and images/s, and epochs with sample predictions", async () => {
    const config = previewConfig(base, { trainLimit: 64, testLimit: 32, epochs: 2 });
    const epochs: PreviewEpoch[] = [];
    const batches: PreviewProgress[] = [];
    const sample = prefix(data.test, 8);
    const result = await runPreview({ config, ...data, sample, onEpoch: (e) => void epochs.push(e), onBatch: (p) => void batches.push(p) });
    expect(result.outcome).toBe("succeeded");
    expect(epochs.map((e) => e.metrics.epoch)).toEqual([0, 1]);
    for (const { predictions } of epochs) {
      expect(predictions?.labels).toHaveLength(8);
      for (const label of predictions!.labels) expect(label >= 0 && label <= 9).toBe(true);
      for (const p of predictions!.confidence) expect(p > 0 && p <= 1).toBe(true);
    }
    expect(batches).toHaveLength(8);
    expect(batches[0]).toMatchObject({ epoch: 0, batch: 1, batches: 4, lr: 0.05 });
    expect(batches[7]!.lr).toBeLessThan(0.05);
    expect(batches[3]!.imagesPerSec).toBeGreaterThan(0);
  });

  it("predictions agree with the epoch's validation accuracy", async () => {
    const config = previewConfig(base, { trainLimit: 64, testLimit: 32, epochs: 1 });
    const seen: { acc: number; predicted: Int32Array }[] = [];
    await runPreview({
      config,
      ...data,
      sample: data.test,
      onEpoch: (e) => void seen.push({ acc: e.metrics.valAcc, predicted: e.predictions!.labels }),
    });
    const right = seen[0]!.predicted.filter((label, i) => label === data.test.labels[i]).length;
    expect(right / data.test.count).toBeCloseTo(seen[0]!.acc, 6);
  });

  it("stops at a Stop and resumes to the same result as an uninterrupted preview", async () => {
    const config = previewConfig(base, { trainLimit: 64, testLimit: 32, epochs: 2 });
    const whole = await runPreview({ config, ...data });
    const controller = new AbortController();
    const stopped = await runPreview({
      config,
      ...data,
      signal: controller.signal,
      onBatch: (p) => {
        if (p.epoch === 1 && p.batch === 2) controller.abort();
      },
    });
    expect(stopped.outcome).toBe("aborted");
    const resumed = await runPreview({ config, ...data, resume: stopped.checkpoint });
    expect(resumed.outcome).toBe("succeeded");
    const learned = (m: (typeof whole.epochs)[number]) => [m.loss, m.acc, m.valLoss, m.valAcc];
    expect(resumed.epochs.map(learned)).toEqual(whole.epochs.slice(1).map(learned));
  });

  it("the trainer's predict works only inside onEpoch and leaks no tensors", async () => {
    const config = previewConfig(base, { trainLimit: 64, testLimit: 32, epochs: 1 });
    let kept: EpochReport["predict"];
    const before = tf.memory().numTensors;
    await train({
      config,
      data,
      onEpoch: async ({ predict }) => {
        kept = predict;
        await predict!(data.test);
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    await expect(kept!(data.test)).rejects.toThrow("only usable inside onEpoch");
  });
});
