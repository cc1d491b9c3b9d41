import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs-core";
import { batchMatMulWasmConfig } from "./kernels/batchMatMulWasm";
import { conv2dBackpropFilterWasmConfig } from "./kernels/conv2dBackpropFilterWasm";
import { conv2dBackpropInputWasmConfig } from "./kernels/conv2dBackpropInputWasm";
import { maxPoolGradWasmConfig } from "./kernels/maxPoolGradWasm";
import { displacedNatives } from "./kernels/natives";
import { sumWasmConfig } from "./kernels/sumWasm";

/**
 * Kernels tfjs-backend-wasm 4.22 lacks that training a conv net needs. Browser-safe
 * (tfjs-core only). Everything else a conv net's training step and the tfjs optimizers
 * use is native to wasm (checked by wasmTraining.test.ts).
 */
export const WASM_EXTRA_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterWasmConfig];

/**
 * Faster replacements for native wasm kernels that a training step spends most of its time in:
 * the input gradient of a convolution (native: a scalar loop), matrix products with transposed
 * operands (native: a scalar loop; only the untransposed product reaches XNNPACK) and the
 * max-pool gradient (native: recomputes every window's argmax once per input pixel) and the sums
 * over leading axes that bias gradients are (native: a transposing copy first).
 * Each is tested against the kernel it replaces.
 */
export const WASM_REPLACEMENT_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropInputWasmConfig,
  batchMatMulWasmConfig,
  maxPoolGradWasmConfig,
  sumWasmConfig,
];

/**
 * The kernel tfjs-backend-wasm itself registered under `kernelName`, whether or not a
 * replacement now stands in its place; undefined if the package never registered one.
 */
export function nativeWasmKernel(kernelName: string): KernelConfig | undefined {
  const current = getKernel(kernelName, "wasm");
  if (current != null && !WASM_REPLACEMENT_KERNELS.includes(current)) return current;
  return displacedNatives.get(kernelName);
}

/**
 * Registers the extra and replacement wasm kernels; idempotent. An extra kernel some other code
 * (or a later tfjs) already registered is left in place. A replacement needs the native kernel
 * registered first (import "@tensorflow/tfjs-backend-wasm" before calling) and keeps its setup
 * function, so the native kernel still initialises with the backend and stays callable.
 * Works before or after the wasm backend is initialised: kernels are looked up when they run.
 * Returns the names registered now.
 */
export function registerWasmKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_EXTRA_KERNELS) {
    if (getKernel(config.kernelName, config.backendName) != null) continue;
    registerKernel(config);
    added.push(config.kernelName);
  }
  for (const config of WASM_REPLACEMENT_KERNELS) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    if (current == null) continue; // the package is not loaded: nothing to replace yet
    displacedNatives.set(config.kernelName, current);
    unregisterKernel(config.kernelName, config.backendName);
    // Its setupFunc runs the native's (the cwrap of the wasm export) when the backend starts.
    registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}
