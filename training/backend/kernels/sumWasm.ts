import { backend_util, Sum, util, type KernelConfig, type KernelFunc, type SumAttrs } from "@tensorflow/tfjs-core";
import type { WasmBackendLike } from "./backendKernels";
import { replacementConfig, runNative } from "./natives";

/** Column sums of a row-major [rows, cols] matrix, accumulated in float64. */
export function columnSums(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c]! += x[base + c]!;
  }
  out.set(acc);
}

/** The reduced axes are 0…k−1 (k ≥ 1) and at least one axis is kept. */
export function reducesLeadingAxes(axes: number[], rank: number): boolean {
  const sorted = [...axes].sort((a, b) => a - b);
  return sorted.length > 0 && sorted.length < rank && sorted.every((a, i) => a === i);
}

/**
 * Sum over leading axes (a bias gradient: [N, H, W, C] → [C]). tfjs-wasm first transposes the
 * reduced axes innermost (a full copy, slow at power-of-two sizes), then sums rows; this sums
 * the columns of the [N·H·W, C] view in place on the wasm heap, in float64. Other reductions go
 * to the native kernel.
 */
export const sumWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  if (x == null) throw new Error("Sum needs input x");
  const wasm = backend as WasmBackendLike;
  const { axis, keepDims } = attrs as unknown as SumAttrs;
  const axes = util.parseAxisParam(axis, x.shape);
  if (x.dtype !== "float32" || !reducesLeadingAxes(axes, x.shape.length) || util.sizeFromShape(x.shape) === 0) {
    return runNative(Sum, wasm, { x }, attrs ?? {});
  }
  const kept = x.shape.slice(axes.length);
  const cols = util.sizeFromShape(kept);
  const rows = util.sizeFromShape(x.shape) / cols;
  const shape = keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  // Allocate first: allocation may grow (and so detach) the heap the views below see.
  const out = wasm.makeOutput(shape, "float32");
  columnSums(wasm.typedArrayFromHeap(x) as Float32Array, rows, cols, wasm.typedArrayFromHeap(out) as Float32Array);
  return out;
};

export const sumWasmConfig: KernelConfig = replacementConfig(Sum, sumWasm);
