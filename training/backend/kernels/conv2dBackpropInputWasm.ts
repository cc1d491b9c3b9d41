import {
  backend_util,
  Conv2D,
  Conv2DBackpropInput,
  PadV2,
  Reshape,
  Reverse,
  Slice,
  Transpose,
  util,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { runKernel, Scratch, type WasmBackendLike } from "./backendKernels";
import { replacementConfig } from "./natives";

const BACKEND = "wasm";

/**
 * tfjs's attrs plus optional `dilations`: tfjs never passes them (its conv2d gradient refuses
 * dilated convolutions), but the kernel honours them when a caller does.
 */
export type Conv2DBackpropInputWasmAttrs = Conv2DBackpropInputAttrs & { dilations?: number | [number, number] };

type Shape4 = [number, number, number, number];

/**
 * The amounts by which the (stride-dilated) dy must be padded, or cropped where negative, so
 * that a stride-1 convolution of it with the flipped filter yields dx: for one spatial axis of
 * input length `inLen`, output length `outLen`, stride `s`, dilation `d`, filter taps `k` and
 * forward padding `before`:
 *   dx[i] = Σ_t dyD[i + before − t·d] · w[t]    where dyD[j·s] = dy[j], zero elsewhere,
 * a correlation of dyD (stored with s·outLen rows, the last s − 1 being zeros) with the taps
 * reversed, at dilation d, padded by (k − 1)·d − before in front and inLen − s·outLen + before
 * behind.
 */
export function backpropInputPadding(inLen: number, outLen: number, s: number, d: number, k: number, before: number) {
  return { front: (k - 1) * d - before, back: inLen - s * outLen + before };
}

/**
 * dx as a forward convolution, so it runs on XNNPACK (tfjs-wasm's own Conv2DBackpropInput is a
 * scalar loop): dy, with s − 1 zero rows/columns inserted after each one for strides s, is
 * convolved at stride 1 and the forward dilation with the filter rotated 180° and its channel
 * axes swapped ([KH, KW, Co, Ci]). Padding comes from tfjs's `computeConv2DInfo`, so 'same' and
 * the rounding modes match tfjs to the pixel; negative amounts become crops of dy.
 */
function viaForwardConv(backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const last = info.dataFormat === "channelsLast";
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const rows = backpropInputPadding(h, oh, sh, dh, info.filterHeight, info.padInfo.top);
  const cols = backpropInputPadding(w, ow, sw, dw, info.filterWidth, info.padInfo.left);

  const scratch = new Scratch(backend);
  try {
    const run = (name: string, inputs: Record<string, TensorInfo>, attrs: object) =>
      scratch.keep(runKernel(BACKEND, backend, name, inputs, attrs));
    let g = last ? dy : run(Transpose, { x: dy }, { perm: [0, 2, 3, 1] });
    if (sh > 1 || sw > 1) {
      // [N, OH, 1, OW, 1, Co] padded to [N, OH, sh, OW, sw, Co]: s − 1 zeros after each entry.
      const spread = run(Reshape, { x: g }, { shape: [n, oh, 1, ow, 1, co] });
      const padded = run(
        PadV2,
        { x: spread },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      g = run(Reshape, { x: padded }, { shape: [n, oh * sh, ow * sw, co] });
    }
    // Negative padding: rows/columns of dy no dx element reads.
    const cropTop = Math.max(0, -rows.front);
    const cropBottom = Math.max(0, -rows.back);
    const cropLeft = Math.max(0, -cols.front);
    const cropRight = Math.max(0, -cols.back);
    const [, gh, gw] = g.shape as Shape4;
    const keptH = gh - cropTop - cropBottom;
    const keptW = gw - cropLeft - cropRight;
    if (keptH <= 0 || keptW <= 0) {
      // No dy entry reaches dx (only possible with padding larger than the filter).
      return backend.makeOutput([...info.inShape], "float32", undefined, new Float32Array(util.sizeFromShape(info.inShape)));
    }
    if (cropTop + cropBottom + cropLeft + cropRight > 0) {
      g = run(Slice, { x: g }, { begin: [0, cropTop, cropLeft, 0], size: [n, keptH, keptW, co] });
    }
    const swapped = run(Transpose, { x: filter }, { perm: [0, 1, 3, 2] });
    const rotated = run(Reverse, { x: swapped }, { dims: [0, 1] });
    // Disposing `rotated` (the conv's filter) also frees the XNNPACK operator cached for it.
    const pad = [
      [0, 0],
      [Math.max(0, rows.front), Math.max(0, rows.back)],
      [Math.max(0, cols.front), Math.max(0, cols.back)],
      [0, 0],
    ];
    const dxNhwc = runKernel(
      BACKEND,
      backend,
      Conv2D,
      { x: g, filter: rotated },
      {
        strides: [1, 1],
        dilations: [dh, dw],
        pad,
        dataFormat: "NHWC",
      },
    );
    util.assert(
      util.arraysEqual(dxNhwc.shape, [n, h, w, ci]),
      () => `Conv2DBackpropInput: internal shape [${dxNhwc.shape}] is not [${[n, h, w, ci]}]`,
    );
    if (last) return dxNhwc;
    scratch.keep(dxNhwc);
    return runKernel(BACKEND, backend, Transpose, { x: dxNhwc }, { perm: [0, 3, 1, 2] });
  } finally {
    scratch.dispose();
  }
}

export const conv2dBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  if (dy == null || filter == null) throw new Error("Conv2DBackpropInput needs inputs dy and filter");
  const wasm = backend as WasmBackendLike;
  const a = attrs as unknown as Conv2DBackpropInputWasmAttrs;
  const info = backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as Shape4,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(a.dataFormat),
  );
  util.assert(
    util.arraysEqual(dy.shape, info.outShape),
    () => `Conv2DBackpropInput: dy shape [${dy.shape}] does not match the convolution output [${info.outShape}]`,
  );
  const shape = [...info.inShape];
  if (util.sizeFromShape(shape) === 0 || util.sizeFromShape(dy.shape) === 0 || info.inChannels * info.outChannels === 0) {
    return wasm.makeOutput(shape, "float32", undefined, new Float32Array(util.sizeFromShape(shape)));
  }
  return viaForwardConv(wasm, dy, filter, info);
};

export const conv2dBackpropInputWasmConfig: KernelConfig = replacementConfig(Conv2DBackpropInput, conv2dBackpropInputWasm);
