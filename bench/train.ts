/**
 * Training throughput of the seed CNN: images/s per available Node backend at batch 64 and 128,
 * measured after warm-up on random images (the data feed is measured separately).
 */
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { initNodeBackend, type NodeBackendPreference } from "../training/backend/node";
import { createModel } from "../training/model/model";
import type { ModelName } from "../training/model/names";
import { createOptimizer } from "../training/optimizers/keras";
import { optimizerSpecSchema } from "../training/optimizers/spec";
import { trainStep } from "../training/trainer/step";

export interface StepRate {
  backend: string;
  batch: number;
  imagesPerSec: number;
  steps: number;
}

/** Steps for at least `seconds` (and at least `minSteps`) after `warmup` untimed steps. */
export async function measureTrainStep(options: {
  model?: ModelName;
  batch: number;
  seconds: number;
  warmup?: number;
  minSteps?: number;
}): Promise<StepRate> {
  const model = createModel(options.model ?? "keras-cifar10-cnn", 0);
  const optimizer = createOptimizer(optimizerSpecSchema.parse({ kind: "sgd", momentum: 0.9 }));
  const x = tf.randomUniform([options.batch, 32, 32, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const y = tf.tensor1d(Array.from({ length: options.batch }, (_, i) => i % 10), "int32");
  try {
    let step = 0;
    const run = () => trainStep(model, optimizer, { x, y }, 0.01, step++);
    for (let i = 0; i < (options.warmup ?? 2); i++) await run();
    const started = performance.now();
    let steps = 0;
    while (steps < (options.minSteps ?? 1) || performance.now() - started < options.seconds * 1000) {
      await run();
      steps += 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { backend: tf.getBackend(), batch: options.batch, imagesPerSec: (steps * options.batch) / elapsed, steps };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backends: { type: "string", default: "tensorflow,wasm,cpu" },
      batches: { type: "string", default: "64,128" },
      seconds: { type: "string", default: "15" },
    },
  });
  const seconds = Number(values.seconds);
  const rows: StepRate[] = [];
  for (const name of values.backends.split(",")) {
    let loaded;
    try {
      loaded = await initNodeBackend(name as NodeBackendPreference);
    } catch (error) {
      console.log(`${name}: unavailable (${(error as Error).message})`);
      continue;
    }
    for (const batch of values.batches.split(",").map(Number)) {
      // The cpu backend needs seconds per step: time one step after one warm-up.
      const slow = loaded.name === "cpu";
      const rate = await measureTrainStep({ batch, seconds: slow ? 0 : seconds, warmup: slow ? 1 : 3 });
      rows.push(rate);
      console.log(`${loaded.detail.padEnd(28)} batch ${String(batch).padStart(4)}: ${rate.imagesPerSec.toFixed(1).padStart(8)} images/s (${rate.steps} steps)`);
    }
  }
  const best = rows.reduce<StepRate | undefined>((a, r) => (!a || r.imagesPerSec > a.imagesPerSec ? r : a), undefined);
  if (best) {
    console.log(`fastest: ${best.backend} at batch ${best.batch}: ${best.imagesPerSec.toFixed(1)} images/s; one 50,000-image epoch ≈ ${(50_000 / best.imagesPerSec / 60).toFixed(1)} min`);
  }
}
