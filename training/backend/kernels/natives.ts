import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { KernelBackendLike } from "./backendKernels";

/**
 * The native tfjs-backend-wasm kernels that our replacements displaced, by kernel name. Filled by
 * registerWasmKernels when it swaps a replacement in; the replacements fall back to these and
 * their setup functions run the natives' (which bind the wasm exports the natives call).
 */
export const displacedNatives = new Map<string, KernelConfig>();

export function displacedNative(kernelName: string): KernelConfig {
  const native = displacedNatives.get(kernelName);
  if (native == null) throw new Error(`no native wasm '${kernelName}' kernel was recorded (call registerWasmKernels)`);
  return native;
}

/** Runs the displaced native kernel (one output). */
export function runNative(kernelName: string, backend: KernelBackendLike, inputs: NamedTensorInfoMap, attrs: object): TensorInfo {
  const out = displacedNative(kernelName).kernelFunc({ inputs, backend: backend, attrs: attrs as NamedAttrMap });
  const single = Array.isArray(out) ? out[0] : out;
  if (single == null) throw new Error(`native kernel '${kernelName}' returned no output`);
  return single;
}

/** A replacement's config: the native's setup (if any) runs when the backend starts. */
export function replacementConfig(kernelName: string, kernelFunc: KernelFunc): KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc,
    setupFunc: (backend) => displacedNatives.get(kernelName)?.setupFunc?.(backend),
  };
}
