import { getKernel, registerKernel, type KernelConfig } from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterWasmConfig } from "./kernels/conv2dBackpropFilterWasm";

/**
 * Kernels tfjs-backend-wasm 4.22 lacks that training a conv net needs. Browser-safe
 * (tfjs-core only). Everything else a conv net's training step and the tfjs optimizers
 * use is native to wasm (checked by wasmTraining.test.ts).
 */
export const WASM_EXTRA_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterWasmConfig];

/**
 * Registers the extra wasm kernels; idempotent. A kernel some other code (or a later
 * tfjs) already registered is left in place. Works before or after the wasm backend
 * is initialised: kernels are looked up when they run. Returns the names registered now.
 */
export function registerWasmKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_EXTRA_KERNELS) {
    if (getKernel(config.kernelName, config.backendName) != null) continue;
    registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}
