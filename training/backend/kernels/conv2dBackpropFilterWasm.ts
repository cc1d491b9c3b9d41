import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Slice,
  Transpose,
  util,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { runKernel, Scratch, type KernelBackendLike } from "./backendKernels";
import { conv2dBackpropFilterLoop } from "./conv2dBackpropFilterLoop";

const BACKEND = "wasm";

/** What this kernel needs from tfjs-backend-wasm's BackendWasm beyond the basics. */
interface WasmBackendLike extends KernelBackendLike {
  makeOutput(shape: number[], dtype: "float32", memoryOffset?: number, values?: Float32Array): TensorInfo;
}

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
function viaForwardConv(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
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
    const xT = run(Transpose, { x }, { perm: last ? [3, 1, 2, 0] : [1, 2, 3, 0] });
    const dyT = run(Transpose, { x: dy }, { perm: last ? [1, 2, 0, 3] : [2, 3, 0, 1] });
    // Disposing dyT (the conv's "filter") also frees the XNNPACK operator cached for it.
    let grad = run(Conv2D, { x: xT, filter: dyT }, {
      strides: [dh, dw],
      dilations: [sh, sw],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: "NHWC",
    });
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
