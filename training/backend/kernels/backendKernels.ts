import { getKernel, type DataId, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from "@tensorflow/tfjs-core";

/** The part of a tfjs backend object our composite kernels touch. */
export interface KernelBackendLike {
  disposeData(dataId: DataId, force?: boolean): boolean;
  readSync(dataId: DataId): unknown;
}

/** What kernels on tfjs-backend-wasm's BackendWasm use beyond the basics. */
export interface WasmBackendLike extends KernelBackendLike {
  makeOutput(shape: number[], dtype: "float32" | "int32" | "bool", memoryOffset?: number, values?: Float32Array): TensorInfo;
  /** A view (no copy) of a tensor's bytes on the wasm heap; stale once the heap grows. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Runs another kernel registered for `backendName` directly, bypassing the engine, so a
 * composite kernel can build on the backend's native ones. Results are the caller's to
 * dispose with `backend.disposeData` (the engine never sees them).
 */
export function runKernel(
  backendName: string,
  backend: KernelBackendLike,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: object = {},
): TensorInfo {
  const config = getKernel(kernelName, backendName);
  if (config == null) throw new Error(`kernel '${kernelName}' is not registered for backend '${backendName}'`);
  const out = config.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap });
  const single = Array.isArray(out) ? out[0] : out;
  if (single == null) throw new Error(`kernel '${kernelName}' returned no output`);
  return single;
}

/** Frees intermediates made by `runKernel`, whatever happened after they were made. */
export class Scratch {
  private readonly infos: TensorInfo[] = [];
  constructor(private readonly backend: KernelBackendLike) {}

  keep(info: TensorInfo): TensorInfo {
    this.infos.push(info);
    return info;
  }

  dispose(): void {
    for (const info of this.infos.splice(0)) this.backend.disposeData(info.dataId);
  }
}
