import * as tf from "@tensorflow/tfjs-core";
import { getKernel, Sum } from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../rng";
import { initNodeBackend } from "../node";
import { nativeWasmKernel } from "../registerWasmKernels";
import { randInt, relativeError, seededValues } from "../testUtil";
import { onBackend, resourceSnapshot, runConfig } from "./kernelTestUtil";
import { reducesLeadingAxes, sumWasmConfig } from "./sumWasm";

beforeAll(async () => {
  await initNodeBackend("wasm");
});

/** Sum through the engine on the active backend, with the output shape. */
function engineSum(values: Float32Array, shape: number[], axis: number[], keepDims: boolean) {
  const x = tf.tensor(values, shape);
  const out = tf.engine().runKernel(Sum, { x }, { axis, keepDims }) as tf.Tensor;
  const result = { values: out.dataSync() as Float32Array, shape: out.shape };
  tf.dispose([x, out]);
  return result;
}

describe("Sum on wasm (leading axes summed in place)", () => {
  it("replaces the native kernel", () => {
    expect(getKernel(Sum, "wasm")).toBe(sumWasmConfig);
    expect(nativeWasmKernel(Sum)).not.toBe(sumWasmConfig);
  });

  it("matches cpu and the native kernel (values and shapes) on 60 random reductions", async () => {
    const rand = rng(31337);
    let leading = 0;
    for (let i = 0; i < 60; i++) {
      const rank = randInt(rand, 1, 4);
      const shape = Array.from({ length: rank }, () => randInt(rand, 1, 9));
      const axis = [...new Set(Array.from({ length: randInt(rand, 1, rank) }, () => randInt(rand, 0, rank - 1)))];
      // Half the cases made leading-axes reductions (the replaced route).
      const axes = rand() < 0.5 ? axis : Array.from({ length: randInt(rand, 1, Math.max(1, rank - 1)) }, (_, k) => k);
      if (reducesLeadingAxes(axes, rank)) leading++;
      const keepDims = rand() < 0.3;
      const values = seededValues(
        shape.reduce((a, b) => a * b, 1),
        60 + i,
      );
      const cpu = await onBackend("cpu", () => engineSum(values, shape, axes, keepDims));
      const got = engineSum(values, shape, axes, keepDims);
      const native = runConfig(nativeWasmKernel(Sum)!, { x: { values, shape } }, { axis: axes, keepDims });
      const where = JSON.stringify({ shape, axes, keepDims });
      expect(got.shape, where).toEqual(cpu.shape);
      expect(relativeError(got.values, cpu.values), where).toBeLessThan(1e-5);
      expect(relativeError(got.values, native), where).toBeLessThan(1e-5);
    }
    expect(leading).toBeGreaterThan(20);
  });

  it("gives the bias gradient of a conv layer that cpu gives", async () => {
    const x = seededValues(4 * 6 * 6 * 5, 3);
    const grad = (backend: string) =>
      onBackend(backend, () => {
        const g = tf.tidy(() => tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.tensor4d(x, [4, 6, 6, 5]), b))))(tf.zeros([5])));
        const values = g.dataSync() as Float32Array;
        g.dispose();
        return values;
      });
    expect(relativeError(await grad("wasm"), await grad("cpu"))).toBeLessThan(1e-5);
  });

  it("leaks nothing over many calls", () => {
    const x = tf.randomNormal([16, 30, 30, 32], 0, 1, "float32", 4);
    tf.sum(x, [0, 1, 2]).dispose();
    const before = resourceSnapshot();
    for (let i = 0; i < 100; i++) tf.sum(x, [0, 1, 2]).dispose();
    expect(resourceSnapshot()).toEqual(before);
    x.dispose();
  });
});
