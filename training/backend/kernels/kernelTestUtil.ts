/** Helpers for this folder's kernel tests: run one kernel on given values, read the result back. */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";

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
