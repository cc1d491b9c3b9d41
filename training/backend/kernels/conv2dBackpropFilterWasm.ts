import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  PadV2,
  Reshape,
  Slice,
  Transpose,
  util,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { runKernel, Scratch, type WasmBackendLike } from "./backendKernels";
import { conv2dBackpropFilterLoop } from "./conv2dBackpropFilterLoop";

const BACKEND = "wasm";

/**
 * tfjs's attrs plus optional `dilations`: tfjs itself never passes them (its conv2d gradient
 * refuses dilated convolutions), but the kernel honours them when a caller does.
 */
export type Conv2DBackpropFilterWasmAttrs = Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };

type Shape4 = [number, number, number, number];

/**
 * How the filter gradient is computed for this geometry. The forward-convolution route maps
 * strides to the convolution's dilation and dilations to its strides, so it is used only
 * where tfjs's own conv2d contract holds (strides or dilations all 1) and the wasm Conv2D
 * kernel is exercised as tfjs exercises it; anything else takes the direct loop.
 */
export function filterGradRoute(info: backend_util.Conv2DInfo): "forward-conv" | "loop" | "empty" {
  if (info.batchSize * info.outHeight * info.outWidth * info.inChannels * info.outChannels === 0) return "empty";
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  const dilated = info.dilationHeight > 1 || info.dilationWidth > 1;
  return strided && dilated ? "loop" : "forward-conv";
}

/**
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} xPad[n, oh·sh + kh·dh, ow·sw + kw·dw, ci] · dy[n,oh,ow,co] is itself a
 * valid convolution once x is viewed as [Ci, H, W, N] (batch Ci, channels N) and dy as a
 * filter [OH, OW, N, Co]: stride (dh, dw), dilation (sh, sw). Its output [Ci, KH', KW', Co]
 * (KH' ≥ KH; extra rows come from input rows no output reads) is cropped and transposed
 * back to [KH, KW, Ci, Co]. Padding is passed to Conv2D as explicit amounts, taken from
 * tfjs's own `computeConv2DInfo` so 'same' matches tfjs to the pixel; the bottom/right
 * amounts are stretched where rounding modes let outputs read past the padded input.
 */
function viaForwardConv(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const last = info.dataFormat === "channelsLast";
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - h - top);
  const right = Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - w - left);

  const scratch = new Scratch(backend);
  try {
    const run = (name: string, inputs: Record<string, TensorInfo>, attrs: object) =>
      scratch.keep(runKernel(BACKEND, backend, name, inputs, attrs));
    const xT = last ? transposeNhwcToChwn(run, x) : run(Transpose, { x }, { perm: [1, 2, 3, 0] });
    let dyT = run(Transpose, { x: dy }, { perm: last ? [1, 2, 0, 3] : [2, 3, 0, 1] });
    // XNNPACK packs the conv's "filter" (dyT) with one read stream per output channel, OH·OW·N
    // floats apart; at multiples of 512 floats the streams share a few L1 sets and packing
    // slows ~4× (32×32 outputs at batch 64: 17 ms instead of 5). Zero taps appended to the
    // filter (and matching padding, so the output is unchanged) break the alignment.
    const [extraH, extraW] = aliasFreeExtraTaps(oh, ow, info.batchSize);
    if (extraH + extraW > 0) {
      dyT = run(
        PadV2,
        { x: dyT },
        {
          paddings: [
            [0, extraH],
            [0, extraW],
            [0, 0],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
    }
    // Disposing dyT (the conv's "filter") also frees the XNNPACK operator cached for it.
    let grad = run(
      Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [dh, dw],
        dilations: [sh, sw],
        pad: [
          [0, 0],
          [top, bottom + extraH * sh],
          [left, right + extraW * sw],
          [0, 0],
        ],
        dataFormat: "NHWC",
      },
    );
    const [ci, gh, gw, co] = grad.shape as Shape4;
    if (gh !== kh || gw !== kw) {
      grad = run(Slice, { x: grad }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    }
    // The result is not kept in scratch: it is the kernel's output.
    return runKernel(BACKEND, backend, Transpose, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    scratch.dispose();
  }
}

type Run = (name: string, inputs: Record<string, TensorInfo>, attrs: object) => TensorInfo;

/** Zero taps (rows, columns) to append to an [OH, OW, N, Co] filter so OH·OW·N is no multiple of 512. */
export function aliasFreeExtraTaps(oh: number, ow: number, n: number): [number, number] {
  if ((oh * ow * n) % 512 !== 0) return [0, 0];
  for (const [a, b] of [
    [1, 0],
    [0, 1],
    [1, 1],
    [2, 1],
    [1, 2],
    [2, 2],
  ] as const) {
    if (((oh + a) * (ow + b) * n) % 512 !== 0) return [a, b];
  }
  return [0, 0];
}

/**
 * NHWC → [C, H, W, N]. Done directly, the copy reads N streams H·W·C floats apart, which at
 * power-of-two sizes (32×32×32) share cache sets and run 7× slower than three short-stride
 * steps: [N, HW, C] → [HW, N, C] → [HW, C, N] (small in-cache 2-D transposes) → [C, HW, N].
 */
function transposeNhwcToChwn(run: Run, x: TensorInfo): TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  if ((h * w * c) % 512 !== 0 || n === 1 || c === 1) return run(Transpose, { x }, { perm: [3, 1, 2, 0] });
  const flat = run(Reshape, { x }, { shape: [n, h * w, c] });
  const pixelsFirst = run(Transpose, { x: flat }, { perm: [1, 0, 2] });
  const channelsThenBatch = run(Transpose, { x: pixelsFirst }, { perm: [0, 2, 1] });
  const chwn = run(Transpose, { x: channelsThenBatch }, { perm: [1, 0, 2] });
  return run(Reshape, { x: chwn }, { shape: [c, h, w, n] });
}

export const conv2dBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  if (x == null || dy == null) throw new Error("Conv2DBackpropFilter needs inputs x and dy");
  const wasm = backend as WasmBackendLike;
  const a = attrs as unknown as Conv2DBackpropFilterWasmAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    a.filterShape,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(a.dataFormat),
  );
  util.assert(
    util.arraysEqual(dy.shape, info.outShape),
    () => `Conv2DBackpropFilter: dy shape [${dy.shape}] does not match the convolution output [${info.outShape}]`,
  );
  const shape = [...info.filterShape];
  switch (filterGradRoute(info)) {
    case "empty":
      return wasm.makeOutput(shape, "float32", undefined, new Float32Array(util.sizeFromShape(shape)));
    case "loop": {
      const xs = wasm.readSync(x.dataId) as Float32Array;
      const dys = wasm.readSync(dy.dataId) as Float32Array;
      return wasm.makeOutput(shape, "float32", undefined, conv2dBackpropFilterLoop(xs, dys, info));
    }
    case "forward-conv":
      return viaForwardConv(wasm, x, dy, info);
  }
};

export const conv2dBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: BACKEND,
  kernelFunc: conv2dBackpropFilterWasm,
};
