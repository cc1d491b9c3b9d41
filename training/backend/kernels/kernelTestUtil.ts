/** Helpers for this folder's kernel tests: run one kernel on given values, read the result back. */
import * as tf from "@tensorflow/tfjs-core";
import { backend_util } from "@tensorflow/tfjs-core";
import type { KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { randInt } from "../testUtil";

export interface Input {
  values: Float32Array;
  shape: number[];
}

/** Runs `kernelName` through the engine on the active backend (whatever is registered there). */
export function runEngineKernel(kernelName: string, inputs: Record<string, Input>, attrs: object): Float32Array {
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, { values, shape }]) => [name, tf.tensor(values, shape)]));
  const out = tf.engine().runKernel(kernelName, tensors, attrs as NamedAttrMap) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  tf.dispose([out, ...Object.values(tensors)]);
  return values;
}

/** Runs a specific kernel config (e.g. a displaced native one) directly on the active backend. */
export function runConfig(config: KernelConfig, inputs: Record<string, Input>, attrs: object): Float32Array {
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, { values, shape }]) => [name, tf.tensor(values, shape)]));
  const backend = tf.backend() as unknown as { readSync(id: object): unknown; disposeData(id: object): boolean };
  const out = config.kernelFunc({ inputs: tensors, backend: tf.backend(), attrs: attrs as NamedAttrMap }) as TensorInfo;
  const values = Float32Array.from(backend.readSync(out.dataId) as Float32Array);
  backend.disposeData(out.dataId);
  tf.dispose(Object.values(tensors));
  return values;
}

/** Runs `f` with `backend` active, then switches back to the one active before. */
export async function onBackend<T>(backend: string, f: () => T): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return f();
  } finally {
    await tf.setBackend(before);
  }
}

/** Everything that must not grow when a kernel runs many times. */
export function resourceSnapshot() {
  const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
  return {
    tensors: tf.memory().numTensors,
    bytes: tf.memory().numBytes,
    buffers: backend.numDataIds(),
    heap: backend.wasm.HEAPU8.length,
  };
}

export type Shape4 = [number, number, number, number];

export interface ConvGeometry {
  inputShape: Shape4;
  filterShape: Shape4;
  strides: [number, number];
  dilations: [number, number];
  pad: "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
  dimRoundingMode: "floor" | "round" | "ceil" | undefined;
  dataFormat: "NHWC" | "NCHW";
  info: backend_util.Conv2DInfo;
}

/**
 * A random convolution geometry for the gradient kernels' tests: strides 1–3, dilations 1–2 (mostly
 * one of them all 1, as tfjs's conv2d allows), every padding kind and rounding mode, both layouts;
 * drawn again until the output is non-empty.
 */
export function randomConvGeometry(
  rand: () => number,
  ranges: { batch: [number, number]; size: [number, number]; channels: [number, number]; filter: [number, number]; explicitPad: number },
): ConvGeometry {
  for (;;) {
    const nchw = rand() < 0.2;
    const [n, h, w, ci, co] = [
      randInt(rand, ...ranges.batch),
      randInt(rand, ...ranges.size),
      randInt(rand, ...ranges.size),
      randInt(rand, ...ranges.channels),
      randInt(rand, ...ranges.channels),
    ];
    const filterShape: Shape4 = [randInt(rand, ...ranges.filter), randInt(rand, ...ranges.filter), ci, co];
    let strides: [number, number] = [randInt(rand, 1, 3), randInt(rand, 1, 3)];
    let dilations: [number, number] = [randInt(rand, 1, 2), randInt(rand, 1, 2)];
    if (rand() < 0.7) {
      if (rand() < 0.5) strides = [1, 1];
      else dilations = [1, 1];
    }
    const kind = ["same", "valid", "explicit", "number"][randInt(rand, 0, 3)];
    let pad: ConvGeometry["pad"];
    let dimRoundingMode: ConvGeometry["dimRoundingMode"];
    if (kind === "same" || kind === "valid") pad = kind;
    else if (kind === "number") {
      pad = randInt(rand, 0, 2);
      dimRoundingMode = ([undefined, "floor", "round", "ceil"] as const)[randInt(rand, 0, 3)];
    } else {
      const m = ranges.explicitPad;
      const [t, b, l, r] = [randInt(rand, 0, m), randInt(rand, 0, m), randInt(rand, 0, m), randInt(rand, 0, m)];
      pad = nchw
        ? [
            [0, 0],
            [0, 0],
            [t, b],
            [l, r],
          ]
        : [
            [0, 0],
            [t, b],
            [l, r],
            [0, 0],
          ];
    }
    const inputShape: Shape4 = nchw ? [n, ci, h, w] : [n, h, w, ci];
    const dataFormat = nchw ? "NCHW" : "NHWC";
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    return { inputShape, filterShape, strides, dilations, pad, dimRoundingMode, dataFormat, info };
  }
}
