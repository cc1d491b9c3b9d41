import * as tf from "@tensorflow/tfjs-core";
import { BatchMatMul, getKernel } from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../rng";
import { initNodeBackend } from "../node";
import { nativeWasmKernel } from "../registerWasmKernels";
import { randInt, relativeError, seededValues } from "../testUtil";
import { batchMatMulWasmConfig, matMulPlan } from "./batchMatMulWasm";
import { onBackend, resourceSnapshot, runConfig, runEngineKernel } from "./kernelTestUtil";

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await initNodeBackend("wasm");
});

interface Case {
  aShape: number[];
  bShape: number[];
  attrs: { transposeA: boolean; transposeB: boolean };
}

function randomCase(rand: () => number): Case {
  const [m, k, n] = [randInt(rand, 1, 40), randInt(rand, 1, 40), randInt(rand, 1, 40)];
  const transposeA = rand() < 0.5;
  const transposeB = rand() < 0.5;
  // Mostly unbatched (what the replacement reroutes); some batched ones go to the native kernel.
  const batch = rand() < 0.25 ? [randInt(rand, 2, 3)] : rand() < 0.3 ? [1] : [];
  return {
    aShape: [...batch, ...(transposeA ? [k, m] : [m, k])],
    bShape: [...batch, ...(transposeB ? [n, k] : [k, n])],
    attrs: { transposeA, transposeB },
  };
}

describe("BatchMatMul on wasm (transposed operands materialised, then XNNPACK)", () => {
  it("replaces the native kernel", () => {
    expect(getKernel(BatchMatMul, "wasm")).toBe(batchMatMulWasmConfig);
    expect(nativeWasmKernel(BatchMatMul)).not.toBe(batchMatMulWasmConfig);
  });

  it("matches tfjs's cpu kernel and wasm's native kernel on 60 random products", async () => {
    const rand = rng(777);
    const failures: string[] = [];
    const seen = new Set<string>();
    const plans = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const c = randomCase(rand);
      seen.add(`${c.attrs.transposeA}/${c.attrs.transposeB}`);
      const [m, k] = c.attrs.transposeA ? c.aShape.slice(-2).reverse() : c.aShape.slice(-2);
      const n = c.attrs.transposeB ? c.bShape.at(-2)! : c.bShape.at(-1)!;
      if (c.aShape.length === 2 && (c.attrs.transposeA || c.attrs.transposeB))
        plans.add(matMulPlan(m!, k!, n, c.attrs.transposeA, c.attrs.transposeB));
      const inputs = {
        a: {
          values: seededValues(
            c.aShape.reduce((x, y) => x * y, 1),
            10 + i,
          ),
          shape: c.aShape,
        },
        b: {
          values: seededValues(
            c.bShape.reduce((x, y) => x * y, 1),
            20 + i,
          ),
          shape: c.bShape,
        },
      };
      const expected = await onBackend("cpu", () => runEngineKernel(BatchMatMul, inputs, c.attrs));
      const got = runEngineKernel(BatchMatMul, inputs, c.attrs);
      const native = runConfig(nativeWasmKernel(BatchMatMul)!, inputs, c.attrs);
      const [eCpu, eNative] = [relativeError(got, expected), relativeError(got, native)];
      if (!(eCpu < TOLERANCE) || !(eNative < TOLERANCE)) {
        failures.push(`${JSON.stringify(c)}: cpu ${eCpu.toExponential(2)}, native ${eNative.toExponential(2)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBe(4);
    expect([...plans].sort()).toEqual(["direct", "swapped"]);
  });

  it("plans the dense layer's gradients to pack the small operand", () => {
    // dx = dy·Wᵀ (batch 64, 512 units, fan-in 2304): swap, so dy (not W) is packed.
    expect(matMulPlan(64, 512, 2304, false, true)).toBe("swapped");
    // dW = xᵀ·dy: transpose x (small), pack dy (small).
    expect(matMulPlan(2304, 64, 512, true, false)).toBe("direct");
  });

  it("gives the dense-layer gradients that cpu gives", async () => {
    const x = seededValues(8 * 30, 1);
    const w = seededValues(30 * 12, 2);
    const gradsOn = (backend: string) =>
      onBackend(backend, () => {
        const [gx, gw] = tf.tidy(() =>
          tf.grads((xt: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.square(tf.matMul(xt as tf.Tensor2D, wt as tf.Tensor2D))))([
            tf.tensor2d(x, [8, 30]),
            tf.tensor2d(w, [30, 12]),
          ]),
        );
        const values = [gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
        tf.dispose([gx!, gw!]);
        return values;
      });
    const [cx, cw] = await gradsOn("cpu");
    const [gx, gw] = await gradsOn("wasm");
    expect(relativeError(gx!, cx!)).toBeLessThan(TOLERANCE);
    expect(relativeError(gw!, cw!)).toBeLessThan(TOLERANCE);
  });

  it("leaks nothing (XNNPACK operators cached on temporary operands included)", () => {
    const a = tf.randomNormal([64, 300], 0, 1, "float32", 1) as tf.Tensor2D;
    const b = tf.randomNormal([200, 300], 0, 1, "float32", 2) as tf.Tensor2D;
    const callAll = () => {
      tf.matMul(a, b, false, true).dispose();
      tf.matMul(b, a, false, true).dispose();
      tf.matMul(a, a, true, false).dispose();
    };
    callAll();
    const before = resourceSnapshot();
    for (let i = 0; i < 100; i++) callAll();
    expect(resourceSnapshot()).toEqual(before);
    tf.dispose([a, b]);
  });
});
