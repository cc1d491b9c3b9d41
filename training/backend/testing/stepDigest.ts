/**
 * Trains the seed CNN for a few steps on fixed data and digests the result (losses and a CRC of
 * every weight's bytes), so two processes (e.g. wasm with 1 and with 2 threads) can be compared
 * bit for bit. Run as a script it prints the digest as JSON: `tsx stepDigest.ts`.
 */
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { createModel } from "../../model/model";
import { createOptimizer } from "../../optimizers/keras";
import { optimizerSpecSchema } from "../../optimizers/spec";
import { crc32 } from "../../trainer/crc32";
import { trainStep } from "../../trainer/step";
import { initNodeBackend } from "../node";
import { seededValues } from "../testUtil";

export interface StepDigest {
  detail: string;
  losses: number[];
  weightsCrc: number;
}

export async function stepDigest(steps = 2, batch = 16): Promise<Omit<StepDigest, "detail">> {
  const model = createModel("keras-cifar10-cnn", 11);
  const optimizer = createOptimizer(optimizerSpecSchema.parse({ kind: "sgd", momentum: 0.9 }));
  const x = tf.tensor4d(
    seededValues(batch * 32 * 32 * 3, 21).map((v) => (v + 1) / 2),
    [batch, 32, 32, 3],
  );
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => (i * 7) % 10),
    "int32",
  );
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push((await trainStep(model, optimizer, { x, y }, 0.05, 100 + s)).loss);
  const bytes = model.variables.flatMap((v) => Array.from(new Uint8Array((v.dataSync() as Float32Array).buffer)));
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { losses, weightsCrc: crc32(Uint8Array.from(bytes)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { detail } = await initNodeBackend("wasm");
  process.stdout.write(`DIGEST ${JSON.stringify({ detail, ...(await stepDigest()) })}\n`);
  process.exit(0);
}
