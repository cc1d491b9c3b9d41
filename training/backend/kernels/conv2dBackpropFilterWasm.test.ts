import * as tf from "@tensorflow/tfjs-core";
import { backend_util, Conv2DBackpropFilter, getKernel } from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../rng";
import { initNodeBackend } from "../node";
import { registerWasmKernels } from "../registerWasmKernels";
import { relativeError, seededValues } from "../testUtil";
import { conv2dBackpropFilterLoop } from "./conv2dBackpropFilterLoop";
import { randomConvGeometry, type Shape4 } from "./kernelTestUtil";
import { conv2dBackpropFilterWasmConfig, filterGradRoute, type Conv2DBackpropFilterWasmAttrs } from "./conv2dBackpropFilterWasm";

interface Case {
  xShape: Shape4;
  dyShape: Shape4;
  attrs: Conv2DBackpropFilterWasmAttrs & { dilations: [number, number] };
  info: backend_util.Conv2DInfo;
}

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await initNodeBackend("wasm");
});

/** A random geometry in the ranges the brief asks for. */
function randomCase(rand: () => number): Case {
  const g = randomConvGeometry(rand, { batch: [1, 4], size: [5, 12], channels: [1, 8], filter: [1, 5], explicitPad: 2 });
  const { strides, dilations, pad, dataFormat, dimRoundingMode, filterShape } = g;
  return {
    xShape: g.inputShape,
    dyShape: g.info.outShape,
    attrs: { strides, dilations, pad, dataFormat, dimRoundingMode, filterShape },
    info: g.info,
  };
}

function describeCase(c: Case): string {
  const { strides, dilations, pad, dataFormat, dimRoundingMode, filterShape } = c.attrs;
  return JSON.stringify({ x: c.xShape, filterShape, strides, dilations, pad, dataFormat, dimRoundingMode });
}

function runFilterGrad(c: Case, xs: Float32Array, dys: Float32Array): Float32Array {
  const x = tf.tensor4d(xs, c.xShape);
  const dy = tf.tensor4d(dys, c.dyShape);
  const out = tf.engine().runKernel(Conv2DBackpropFilter, { x, dy }, c.attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  tf.dispose([x, dy, out]);
  return values;
}

/**
 * tfjs's cpu kernel, which ignores dilations. A dilated convolution equals an undilated one
 * whose filter has zeros between taps (same padding, same output), so its filter gradient
 * is the undilated gradient for that larger filter, sampled at the taps.
 */
async function cpuReference(c: Case, xs: Float32Array, dys: Float32Array): Promise<Float32Array> {
  const [kh, kw, ci, co] = c.attrs.filterShape;
  const [dh, dw] = c.attrs.dilations;
  const effective: Shape4 = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, co];
  await tf.setBackend("cpu");
  try {
    const full = runFilterGrad({ ...c, attrs: { ...c.attrs, dilations: [1, 1], filterShape: effective } }, xs, dys);
    const out = new Float32Array(kh * kw * ci * co);
    for (let r = 0; r < kh; r++)
      for (let q = 0; q < kw; q++)
        for (let k = 0; k < ci * co; k++) out[(r * kw + q) * ci * co + k] = full[(r * dh * effective[1] + q * dw) * ci * co + k]!;
    return out;
  } finally {
    await tf.setBackend("wasm");
  }
}

describe("Conv2DBackpropFilter on wasm", () => {
  it("is registered once, by registerWasmKernels", () => {
    expect(getKernel(Conv2DBackpropFilter, "wasm")).toBe(conv2dBackpropFilterWasmConfig);
    expect(registerWasmKernels()).toEqual([]);
    expect(getKernel(Conv2DBackpropFilter, "wasm")).toBe(conv2dBackpropFilterWasmConfig);
  });

  it("matches tfjs's cpu kernel (and the JS loop matches too) on 60 random geometries", async () => {
    const rand = rng(20240601);
    const failures: string[] = [];
    const routes = { "forward-conv": 0, loop: 0, empty: 0 };
    for (let i = 0; i < 60; i++) {
      const c = randomCase(rand);
      routes[filterGradRoute(c.info)]++;
      const xs = seededValues(
        c.xShape.reduce((a, b) => a * b),
        1000 + i,
      );
      const dys = seededValues(
        c.dyShape.reduce((a, b) => a * b),
        2000 + i,
      );
      const expected = await cpuReference(c, xs, dys);
      const got = runFilterGrad(c, xs, dys);
      const loop = conv2dBackpropFilterLoop(xs, dys, c.info);
      const [eKernel, eLoop] = [relativeError(got, expected), relativeError(loop, expected)];
      if (!(eKernel < TOLERANCE) || !(eLoop < TOLERANCE)) {
        failures.push(`${describeCase(c)}: kernel ${eKernel.toExponential(2)}, loop ${eLoop.toExponential(2)}`);
      }
    }
    expect(failures).toEqual([]);
    // The generator reached both routes, so both were checked.
    expect(routes["forward-conv"]).toBeGreaterThan(30);
    expect(routes.loop).toBeGreaterThan(5);
  });

  it("equals tf.grad of conv2d with respect to the filter computed on cpu", async () => {
    const x = seededValues(2 * 9 * 9 * 3, 7);
    const f = seededValues(3 * 3 * 3 * 4, 8);
    const gradOn = async (backend: string) => {
      await tf.setBackend(backend);
      const g = tf.tidy(() => {
        const xt = tf.tensor4d(x, [2, 9, 9, 3]);
        const weights = tf.tensor1d(seededValues(2 * 5 * 5 * 4, 9));
        const loss = (ft: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.conv2d(xt, ft as tf.Tensor4D, 2, "same"), [-1]), weights));
        return tf.grad(loss)(tf.tensor4d(f, [3, 3, 3, 4]));
      });
      const values = g.dataSync() as Float32Array;
      g.dispose();
      return values;
    };
    const expected = await gradOn("cpu");
    const got = await gradOn("wasm");
    expect(relativeError(got, expected)).toBeLessThan(TOLERANCE);
  });

  it("returns zeros when the batch is empty", () => {
    const c: Case = (() => {
      const xShape: Shape4 = [0, 6, 6, 2];
      const attrs = {
        strides: [1, 1] as [number, number],
        dilations: [1, 1] as [number, number],
        pad: "same" as const,
        dataFormat: "NHWC" as const,
        filterShape: [3, 3, 2, 4] as Shape4,
      };
      const info = backend_util.computeConv2DInfo(xShape, attrs.filterShape, 1, 1, "same");
      return { xShape, dyShape: info.outShape, attrs, info };
    })();
    const got = runFilterGrad(c, new Float32Array(0), new Float32Array(0));
    expect(Array.from(got)).toEqual(new Array(3 * 3 * 2 * 4).fill(0));
  });

  it("leaks no tensors, engine bytes, backend buffers or wasm heap over many calls", () => {
    const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
    // One geometry per code path: plain, cropped (stride leaves rows unread), NCHW, loop.
    const geometries: [Shape4, Shape4, Partial<Conv2DBackpropFilterWasmAttrs>][] = [
      [[8, 16, 16, 8], [3, 3, 8, 16], { strides: 1, pad: "same" }],
      [[8, 16, 16, 8], [3, 3, 8, 16], { strides: 2, pad: "valid" }],
      [[8, 8, 16, 16], [3, 3, 8, 16], { strides: 1, pad: "same", dataFormat: "NCHW" }],
      [[2, 12, 12, 4], [3, 3, 4, 4], { strides: 2, dilations: 2, pad: "same" }],
    ];
    const inputs = geometries.map(([xShape, filterShape, partial]) => {
      const attrs = { strides: 1, pad: "same", dataFormat: "NHWC", filterShape, ...partial } as Conv2DBackpropFilterWasmAttrs;
      const info = backend_util.computeConv2DInfo(
        xShape,
        filterShape,
        attrs.strides,
        attrs.dilations ?? 1,
        attrs.pad,
        undefined,
        false,
        backend_util.convertConv2DDataFormat(attrs.dataFormat),
      );
      return { x: tf.randomNormal(xShape, 0, 1, "float32", 1), dy: tf.randomNormal(info.outShape, 0, 1, "float32", 2), attrs };
    });
    const callAll = () => {
      for (const { x, dy, attrs } of inputs) {
        (tf.engine().runKernel(Conv2DBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dispose();
      }
    };
    callAll(); // warm-up: lets the heap reach its working size
    const snapshot = () => ({
      tensors: tf.memory().numTensors,
      bytes: tf.memory().numBytes,
      buffers: backend.numDataIds(),
      heap: backend.wasm.HEAPU8.length,
    });
    const before = snapshot();
    for (let i = 0; i < 100; i++) callAll();
    expect(snapshot()).toEqual(before);
    tf.dispose(inputs.flatMap(({ x, dy }) => [x, dy]));
  });
});
