import {
  BatchMatMul,
  Reshape,
  Transpose,
  util,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { runKernel, Scratch, type WasmBackendLike } from "./backendKernels";
import { replacementConfig, runNative } from "./natives";

/**
 * How to put C = op(A)·op(B) (op: optional transpose; A·B is M×K by K×N) on XNNPACK's
 * fully-connected operator, which takes only untransposed operands and packs its right operand
 * (the "weights") on every call, since tfjs keys its operator cache on that tensor:
 * - "direct": materialise op(A) and op(B), compute op(A)·op(B);
 * - "swapped": compute Cᵀ = op(B)ᵀ·op(A)ᵀ, whose operands are B and A themselves wherever they
 *   were transposed, then transpose the M×N result.
 * Each costs about one memory pass per element transposed or packed; the cheaper one is used.
 * For a dense layer's input gradient dy·Wᵀ (M = batch, N = fan-in) "swapped" packs the small
 * dy instead of transposing and packing the large W.
 */
export function matMulPlan(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): "direct" | "swapped" {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * k + m * n;
  return swapped < direct ? "swapped" : "direct";
}

/** Swaps the last two axes. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return perm;
}

/**
 * tfjs-wasm sends a product to XNNPACK only when neither operand is transposed and there is no
 * batch; anything else takes a scalar triple loop (~1 GFLOP/s). A dense layer's backward pass
 * needs exactly those: dW = xᵀ·dy and dx = dy·Wᵀ. This routes them (see matMulPlan) onto the
 * fast path. Batched products are left to the native kernel, whose fast path does not take them
 * either way.
 */
export const batchMatMulWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs;
  if (a == null || b == null) throw new Error("BatchMatMul needs inputs a and b");
  const wasm = backend as WasmBackendLike;
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const unbatched = util.sizeFromShape(a.shape.slice(0, -2)) === 1 && util.sizeFromShape(b.shape.slice(0, -2)) === 1;
  if ((!transposeA && !transposeB) || !unbatched || a.dtype !== "float32" || b.dtype !== "float32") {
    return runNative(BatchMatMul, wasm, { a, b }, attrs ?? {});
  }
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const n = transposeB ? br : bc;
  // Both operands as plain matrices; the result gets the broadcast leading ones back at the end.
  const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n];
  const scratch = new Scratch(wasm);
  try {
    const run = (name: string, x: TensorInfo, attr: object) => scratch.keep(runKernel("wasm", wasm, name, { x }, attr));
    const a2 = run(Reshape, a, { shape: [ar, ac] });
    const b2 = run(Reshape, b, { shape: [br, bc] });
    const t = (x: TensorInfo) => run(Transpose, x, { perm: lastTwoSwapped(2) });
    let product: TensorInfo;
    if (matMulPlan(m, k, n, transposeA, transposeB) === "direct") {
      product = runNative(
        BatchMatMul,
        wasm,
        { a: transposeA ? t(a2) : a2, b: transposeB ? t(b2) : b2 },
        { transposeA: false, transposeB: false },
      );
    } else {
      // Cᵀ = op(B)ᵀ · op(A)ᵀ: op(B)ᵀ is B when transposeB, op(A)ᵀ is A when transposeA.
      const left = transposeB ? b2 : t(b2);
      const right = transposeA ? a2 : t(a2);
      const productT = scratch.keep(runNative(BatchMatMul, wasm, { a: left, b: right }, { transposeA: false, transposeB: false }));
      product = runKernel("wasm", wasm, Transpose, { x: productT }, { perm: [1, 0] });
    }
    if (util.arraysEqual(product.shape, outShape)) return product;
    scratch.keep(product);
    return runKernel("wasm", wasm, Reshape, { x: product }, { shape: outShape });
  } finally {
    scratch.dispose();
  }
};

export const batchMatMulWasmConfig: KernelConfig = replacementConfig(BatchMatMul, batchMatMulWasm);
