import { backend_util, MaxPoolGrad, util, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs } from "@tensorflow/tfjs-core";
import type { WasmBackendLike } from "./backendKernels";
import { replacementConfig } from "./natives";

/**
 * The max-pool gradient: each window's dy goes to the window's maximum, the first one in
 * row-major order where several are equal (tfjs's cpu kernel and TensorFlow agree on this;
 * NaNs are never a maximum). Overlapping windows add up. NHWC, dilation 1 (all tfjs pools).
 * `x` is the forward input; `dx` must be zero on entry.
 */
export function maxPoolGradLoop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && 2 * oh <= h && 2 * ow <= w) {
    maxPool2x2GradLoop(x, dy, dx, n, h, w, c, oh, ow);
    return;
  }
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      const r0 = r * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(h, r0 + fh);
      for (let q = 0; q < ow; q++) {
        const q0 = q * sw - left;
        const qMin = Math.max(0, q0);
        const qMax = Math.min(w, q0 + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let xr = rMin; xr < rMax; xr++) {
          for (let xq = qMin; xq < qMax; xq++) {
            const base = ((b * h + xr) * w + xq) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch]!;
              if (v > best[ch]!) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        const yBase = ((b * oh + r) * ow + q) * c;
        for (let ch = 0; ch < c; ch++) {
          const at = where[ch]!;
          if (at >= 0) dx[at] = dx[at]! + dy[yBase + ch]!;
        }
      }
    }
  }
}

/** maxPoolGradLoop for 2×2 windows at stride 2 without padding (the seed CNN's pools), unrolled. */
function maxPool2x2GradLoop(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  oh: number,
  ow: number,
): void {
  const rowStride = w * c;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const p00 = ((b * h + 2 * r) * w + 2 * q) * c;
        const p01 = p00 + c;
        const p10 = p00 + rowStride;
        const p11 = p10 + c;
        const yBase = ((b * oh + r) * ow + q) * c;
        for (let ch = 0; ch < c; ch++) {
          // Row-major order, strict comparison: the first maximum wins and NaN never does.
          let best = -Infinity;
          let at = -1;
          let v = x[p00 + ch]!;
          if (v > best) {
            best = v;
            at = p00 + ch;
          }
          v = x[p01 + ch]!;
          if (v > best) {
            best = v;
            at = p01 + ch;
          }
          v = x[p10 + ch]!;
          if (v > best) {
            best = v;
            at = p10 + ch;
          }
          v = x[p11 + ch]!;
          if (v > best) at = p11 + ch;
          // Windows do not overlap: each input pixel receives at most one dy.
          if (at >= 0) dx[at] = dy[yBase + ch]!;
        }
      }
    }
  }
}

/**
 * Replaces tfjs-wasm's MaxPoolGrad, which visits every input pixel and, for each window covering
 * it, recomputes that window's argmax (and sends an all-non-positive window's gradient nowhere).
 * This finds each argmax once and scatters dy, reading the wasm heap in place.
 */
export const maxPoolGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs;
  if (dy == null || input == null) throw new Error("MaxPoolGrad needs inputs dy and input");
  const wasm = backend as WasmBackendLike;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  util.assert(
    util.arraysEqual(dy.shape, info.outShape),
    () => `MaxPoolGrad: dy shape [${dy.shape}] does not match the pooling output [${info.outShape}]`,
  );
  const size = util.sizeFromShape(input.shape);
  // Allocate first: allocation may grow (and so detach) the heap that the views below see.
  const dx = wasm.makeOutput([...input.shape], "float32");
  if (size === 0) return dx;
  const out = wasm.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  maxPoolGradLoop(wasm.typedArrayFromHeap(input) as Float32Array, wasm.typedArrayFromHeap(dy) as Float32Array, out, info);
  return dx;
};

export const maxPoolGradWasmConfig: KernelConfig = replacementConfig(MaxPoolGrad, maxPoolGradWasm);
