/**
 * Filter-gradient time for the seed CNN's four conv layers at batch 64: our wasm kernel
 * (forward-conv route) vs the plain JS loop. Run: npx tsx training/backend/conv2dBackpropFilter.bench.ts
 * Optional argument: repetitions for the wasm kernel (default 5; the loop runs 2).
 */
import * as tf from "@tensorflow/tfjs-core";
import { backend_util, Conv2DBackpropFilter } from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterLoop } from "./kernels/conv2dBackpropFilterLoop";
import { initNodeBackend } from "./node";
import { relativeError, seededValues } from "./testUtil";

type Shape4 = [number, number, number, number];

const BATCH = 64;
const LAYERS: { name: string; x: Shape4; filters: number; pad: "same" | "valid" }[] = [
  { name: "conv1 32x32x3 → 32 same", x: [BATCH, 32, 32, 3], filters: 32, pad: "same" },
  { name: "conv2 32x32x32 → 32 valid", x: [BATCH, 32, 32, 32], filters: 32, pad: "valid" },
  { name: "conv3 15x15x32 → 64 same", x: [BATCH, 15, 15, 32], filters: 64, pad: "same" },
  { name: "conv4 15x15x64 → 64 valid", x: [BATCH, 15, 15, 64], filters: 64, pad: "valid" },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(repeats: number, run: () => void): number {
  run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 5);
  const loaded = await initNodeBackend("wasm");
  console.log(`backend: ${loaded.detail}; batch ${BATCH}; 3x3 filters; median ms`);
  let wasmTotal = 0;
  let loopTotal = 0;
  for (const [i, layer] of LAYERS.entries()) {
    const filterShape: Shape4 = [3, 3, layer.x[3], layer.filters];
    const info = backend_util.computeConv2DInfo(layer.x, filterShape, 1, 1, layer.pad);
    const xs = seededValues(
      layer.x.reduce((a, b) => a * b),
      10 + i,
    );
    const dys = seededValues(
      info.outShape.reduce((a, b) => a * b),
      20 + i,
    );
    const x = tf.tensor4d(xs, layer.x);
    const dy = tf.tensor4d(dys, info.outShape);
    const attrs = { strides: 1, pad: layer.pad, dataFormat: "NHWC", filterShape } as unknown as tf.NamedAttrMap;
    const kernel = () => tf.engine().runKernel(Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;

    const wasmMs = timeMs(repeats, () => kernel().dispose());
    let loopResult: Float32Array = new Float32Array(0);
    const loopMs = timeMs(2, () => {
      loopResult = conv2dBackpropFilterLoop(xs, dys, info);
    });
    const out = kernel();
    const error = relativeError(out.dataSync(), loopResult);
    tf.dispose([out, x, dy]);

    wasmTotal += wasmMs;
    loopTotal += loopMs;
    console.log(
      `${layer.name.padEnd(28)} wasm ${wasmMs.toFixed(1).padStart(8)}   loop ${loopMs.toFixed(1).padStart(8)}` +
        `   ×${(loopMs / wasmMs).toFixed(1)}   rel.err ${error.toExponential(1)}`,
    );
  }
  console.log(
    `${"all four layers".padEnd(28)} wasm ${wasmTotal.toFixed(1).padStart(8)}   loop ${loopTotal.toFixed(1).padStart(8)}` +
      `   ×${(loopTotal / wasmTotal).toFixed(1)}`,
  );
}

await main();
