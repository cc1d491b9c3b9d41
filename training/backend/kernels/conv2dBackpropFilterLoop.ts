import type { backend_util } from "@tensorflow/tfjs-core";

/**
 * The filter gradient of a 2-D convolution as a direct loop over plain arrays:
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] · dy[n, oh, ow, co],
 * reading zero outside the input. Handles every stride/dilation/padding combination and both
 * data formats, so it is the fallback for cases the fast wasm route does not cover, and the
 * baseline it is benchmarked against. Accumulates in float64.
 */
export function conv2dBackpropFilterLoop(x: ArrayLike<number>, dy: ArrayLike<number>, info: backend_util.Conv2DInfo): Float32Array {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const last = info.dataFormat === "channelsLast";

  // Strides of x and dy in their own layouts, so one loop serves NHWC and NCHW.
  const [xN, xH, xW, xC] = last ? [h * w * ci, w * ci, ci, 1] : [ci * h * w, w, 1, h * w];
  const [yN, yH, yW, yC] = last ? [oh * ow * co, ow * co, co, 1] : [co * oh * ow, ow, 1, oh * ow];

  const acc = new Float64Array(kh * kw * ci * co);
  const dyRow = new Float64Array(co);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        const yBase = b * yN + r * yH + c * yW;
        for (let o = 0; o < co; o++) dyRow[o] = dy[yBase + o * yC] ?? 0;
        for (let fr = 0; fr < kh; fr++) {
          const ir = r * sh + fr * dh - top;
          if (ir < 0 || ir >= h) continue;
          for (let fc = 0; fc < kw; fc++) {
            const ic = c * sw + fc * dw - left;
            if (ic < 0 || ic >= w) continue;
            const xBase = b * xN + ir * xH + ic * xW;
            const wBase = (fr * kw + fc) * ci * co;
            for (let i = 0; i < ci; i++) {
              const xv = x[xBase + i * xC] ?? 0;
              if (xv === 0) continue;
              const base = wBase + i * co;
              for (let o = 0; o < co; o++) acc[base + o]! += xv * dyRow[o]!;
            }
          }
        }
      }
    }
  }
  return Float32Array.from(acc);
}
