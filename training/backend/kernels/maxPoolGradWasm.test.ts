import * as tf from "@tensorflow/tfjs-core";
import { backend_util, getKernel, MaxPoolGrad } from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../rng";
import { initNodeBackend } from "../node";
import { nativeWasmKernel } from "../registerWasmKernels";
import { randInt, relativeError, seededValues } from "../testUtil";
import { onBackend, resourceSnapshot, runConfig, runEngineKernel } from "./kernelTestUtil";
import { maxPoolGradWasmConfig } from "./maxPoolGradWasm";

type Shape4 = [number, number, number, number];

beforeAll(async () => {
  await initNodeBackend("wasm");
});

interface Case {
  xShape: Shape4;
  attrs: {
    filterSize: [number, number];
    strides: [number, number];
    pad: "same" | "valid" | number;
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  info: backend_util.Conv2DInfo;
}

function randomCase(rand: () => number): Case {
  for (;;) {
    const xShape: Shape4 = [randInt(rand, 1, 3), randInt(rand, 2, 11), randInt(rand, 2, 11), randInt(rand, 1, 6)];
    const filterSize: [number, number] = [randInt(rand, 1, 3), randInt(rand, 1, 3)];
    const strides: [number, number] = [randInt(rand, 1, 3), randInt(rand, 1, 3)];
    const kind = randInt(rand, 0, 2);
    const pad = kind === 0 ? "same" : kind === 1 ? "valid" : randInt(rand, 0, 1);
    const dimRoundingMode = typeof pad === "number" ? (["floor", "round", "ceil"] as const)[randInt(rand, 0, 2)] : undefined;
    const info = backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad, dimRoundingMode);
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    return { xShape, attrs: { filterSize, strides, pad, dimRoundingMode }, info };
  }
}

/** x, y = maxPool(x) on cpu, and a random dy. */
async function inputsFor(c: Case, xs: Float32Array, seed: number) {
  const ys = await onBackend("cpu", () => {
    const y = tf.maxPool(tf.tensor4d(xs, c.xShape), c.attrs.filterSize, c.attrs.strides, c.attrs.pad, c.attrs.dimRoundingMode);
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return values;
  });
  return {
    dy: { values: seededValues(ys.length, seed), shape: [...c.info.outShape] },
    input: { values: xs, shape: [...c.xShape] },
    output: { values: ys, shape: [...c.info.outShape] },
  };
}

describe("MaxPoolGrad on wasm (one argmax per window, then scatter)", () => {
  it("replaces the native kernel", () => {
    expect(getKernel(MaxPoolGrad, "wasm")).toBe(maxPoolGradWasmConfig);
    expect(nativeWasmKernel(MaxPoolGrad)).not.toBe(maxPoolGradWasmConfig);
  });

  it("matches tfjs's cpu kernel exactly on 60 random poolings, ties (relu zeros) included", async () => {
    const rand = rng(4242);
    const failures: string[] = [];
    let overlapping = 0;
    for (let i = 0; i < 60; i++) {
      const c = randomCase(rand);
      if (c.attrs.strides[0] < c.attrs.filterSize[0] || c.attrs.strides[1] < c.attrs.filterSize[1]) overlapping++;
      const raw = seededValues(
        c.xShape.reduce((a, b) => a * b),
        500 + i,
      );
      // Half the cases as after a relu: many equal zeros, so tie-breaking is exercised.
      const xs = i % 2 === 0 ? raw : raw.map((v) => Math.max(0, v));
      const inputs = await inputsFor(c, xs, 900 + i);
      const expected = await onBackend("cpu", () => runEngineKernel(MaxPoolGrad, inputs, c.attrs));
      const got = runEngineKernel(MaxPoolGrad, inputs, c.attrs);
      const e = relativeError(got, expected);
      if (!(e < 1e-6)) failures.push(`${JSON.stringify({ x: c.xShape, ...c.attrs })}: ${e.toExponential(2)}`);
    }
    expect(failures).toEqual([]);
    expect(overlapping).toBeGreaterThan(10);
  });

  it("matches cpu exactly on the seed CNN's 2×2 stride-2 pools (the unrolled route), odd sizes and ties included", async () => {
    for (const [i, xShape] of (
      [
        [2, 30, 30, 8],
        [3, 13, 13, 5],
        [1, 7, 6, 3],
        [2, 4, 4, 1],
      ] as Shape4[]
    ).entries()) {
      const attrs = { filterSize: [2, 2] as [number, number], strides: [2, 2] as [number, number], pad: "valid" as const };
      const c: Case = { xShape, attrs, info: backend_util.computePool2DInfo(xShape, 2, 2, 1, "valid") };
      for (const relu of [false, true]) {
        const raw = seededValues(
          xShape.reduce((a, b) => a * b),
          40 + i,
        );
        const inputs = await inputsFor(c, relu ? raw.map((v) => Math.max(0, v)) : raw, 50 + i);
        const expected = await onBackend("cpu", () => runEngineKernel(MaxPoolGrad, inputs, attrs));
        expect(Array.from(runEngineKernel(MaxPoolGrad, inputs, attrs)), JSON.stringify({ xShape, relu })).toEqual(Array.from(expected));
      }
    }
  });

  it("matches wasm's native kernel where every value is positive and distinct", async () => {
    // The native kernel starts each window at FLT_MIN (not −∞) and keeps the last maximum, so it
    // agrees with cpu (and this kernel) only without ties and non-positive values.
    const rand = rng(99);
    for (let i = 0; i < 20; i++) {
      const c = randomCase(rand);
      const xs = seededValues(
        c.xShape.reduce((a, b) => a * b),
        700 + i,
      ).map((v) => 1.5 + v);
      const inputs = await inputsFor(c, xs, 800 + i);
      const native = runConfig(nativeWasmKernel(MaxPoolGrad)!, inputs, c.attrs);
      const got = runEngineKernel(MaxPoolGrad, inputs, c.attrs);
      expect(relativeError(got, native), JSON.stringify(c.attrs)).toBeLessThan(1e-6);
    }
  });

  it("leaks nothing over many calls", () => {
    const x = tf.randomNormal([4, 30, 30, 8], 0, 1, "float32", 3) as tf.Tensor4D;
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, "valid")));
    grad(x).dispose();
    const before = resourceSnapshot();
    for (let i = 0; i < 100; i++) grad(x).dispose();
    expect(resourceSnapshot()).toEqual(before);
    x.dispose();
  });
});
