import * as tf from "@tensorflow/tfjs-core";
import { backend_util, Conv2DBackpropInput, getKernel } from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../rng";
import { initNodeBackend } from "../node";
import { nativeWasmKernel, registerWasmKernels } from "../registerWasmKernels";
import { relativeError, seededValues } from "../testUtil";
import { conv2dBackpropInputWasmConfig, type Conv2DBackpropInputWasmAttrs } from "./conv2dBackpropInputWasm";
import { onBackend, randomConvGeometry, resourceSnapshot, runConfig, runEngineKernel, type Shape4 } from "./kernelTestUtil";

interface Case {
  dyShape: Shape4;
  filterShape: Shape4;
  attrs: Conv2DBackpropInputWasmAttrs & { strides: [number, number]; dilations: [number, number] };
}

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await initNodeBackend("wasm");
});

/** A random geometry; explicit padding up to 4 exceeds the filter and leaves dx rows no dy entry reaches (crops). */
function randomCase(rand: () => number): Case {
  const g = randomConvGeometry(rand, { batch: [1, 3], size: [4, 12], channels: [1, 7], filter: [1, 4], explicitPad: 4 });
  const { strides, dilations, pad, dataFormat, dimRoundingMode, inputShape } = g;
  return {
    dyShape: g.info.outShape,
    filterShape: g.filterShape,
    attrs: { strides, dilations, pad, dataFormat, dimRoundingMode, inputShape },
  };
}

function inputsOf(c: Case, dys: Float32Array, filter: Float32Array) {
  return { dy: { values: dys, shape: c.dyShape }, filter: { values: filter, shape: c.filterShape } };
}

/**
 * tfjs's cpu kernel, which ignores dilations. A dilated convolution is an undilated one whose
 * filter has zeros between the taps (same padding, same output), and so is its input gradient.
 */
async function cpuReference(c: Case, dys: Float32Array, filter: Float32Array): Promise<Float32Array> {
  const [kh, kw, ci, co] = c.filterShape;
  const [dh, dw] = c.attrs.dilations;
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const spread = new Float32Array(eh * ew * ci * co);
  for (let r = 0; r < kh; r++)
    for (let q = 0; q < kw; q++)
      for (let k = 0; k < ci * co; k++) spread[(r * dh * ew + q * dw) * ci * co + k] = filter[(r * kw + q) * ci * co + k]!;
  const wide: Case = { ...c, filterShape: [eh, ew, ci, co], attrs: { ...c.attrs, dilations: [1, 1] } };
  return onBackend("cpu", () => runEngineKernel(Conv2DBackpropInput, inputsOf(wide, dys, spread), wide.attrs));
}

function describeCase(c: Case): string {
  return JSON.stringify({ dy: c.dyShape, filter: c.filterShape, ...c.attrs });
}

describe("Conv2DBackpropInput on wasm (forward convolution of the spread dy with the flipped filter)", () => {
  it("replaces the native kernel once, keeping the native one callable", () => {
    expect(getKernel(Conv2DBackpropInput, "wasm")).toBe(conv2dBackpropInputWasmConfig);
    expect(registerWasmKernels()).toEqual([]);
    const native = nativeWasmKernel(Conv2DBackpropInput);
    expect(native).toBeDefined();
    expect(native).not.toBe(conv2dBackpropInputWasmConfig);
  });

  it("matches tfjs's cpu kernel and wasm's native kernel on 80 random geometries", async () => {
    const rand = rng(20240702);
    const failures: string[] = [];
    let strided = 0;
    let dilated = 0;
    let cropped = 0;
    for (let i = 0; i < 80; i++) {
      const c = randomCase(rand);
      if (c.attrs.strides.some((s) => s > 1)) strided++;
      if (c.attrs.dilations.some((d) => d > 1)) dilated++;
      if (Array.isArray(c.attrs.pad) && c.attrs.pad.flat().some((p) => p >= 3)) cropped++;
      const dys = seededValues(
        c.dyShape.reduce((a, b) => a * b),
        3000 + i,
      );
      const filter = seededValues(
        c.filterShape.reduce((a, b) => a * b),
        4000 + i,
      );
      const expected = await cpuReference(c, dys, filter);
      const got = runEngineKernel(Conv2DBackpropInput, inputsOf(c, dys, filter), c.attrs);
      const errors = [`cpu ${relativeError(got, expected).toExponential(2)}`];
      let ok = relativeError(got, expected) < TOLERANCE;
      if (c.attrs.dilations.every((d) => d === 1)) {
        // The native kernel knows no dilations.
        const native = runConfig(nativeWasmKernel(Conv2DBackpropInput)!, inputsOf(c, dys, filter), c.attrs);
        errors.push(`native ${relativeError(got, native).toExponential(2)}`);
        ok &&= relativeError(got, native) < TOLERANCE;
      }
      if (!ok) failures.push(`${describeCase(c)}: ${errors.join(", ")}`);
    }
    expect(failures).toEqual([]);
    // The generator reached the interesting routes.
    expect(strided).toBeGreaterThan(10);
    expect(dilated).toBeGreaterThan(10);
    expect(cropped).toBeGreaterThan(3);
  });

  it("equals tf.grad of conv2d with respect to its input computed on cpu (strided, same padding)", async () => {
    const x = seededValues(2 * 9 * 9 * 3, 17);
    const f = seededValues(3 * 3 * 3 * 4, 18);
    const weights = seededValues(2 * 5 * 5 * 4, 19);
    const gradOn = (backend: string) =>
      onBackend(backend, () => {
        const g = tf.tidy(() => {
          const ft = tf.tensor4d(f, [3, 3, 3, 4]);
          const w = tf.tensor1d(weights);
          const loss = (xt: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.conv2d(xt as tf.Tensor4D, ft, 2, "same"), [-1]), w));
          return tf.grad(loss)(tf.tensor4d(x, [2, 9, 9, 3]));
        });
        const values = g.dataSync() as Float32Array;
        g.dispose();
        return values;
      });
    const expected = await gradOn("cpu");
    const got = await gradOn("wasm");
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0);
    expect(relativeError(got, expected)).toBeLessThan(TOLERANCE);
  });

  it("handles an empty batch, and padding wider than the filter (dy entries that reach no dx pixel)", () => {
    const empty = runEngineKernel(
      Conv2DBackpropInput,
      { dy: { values: new Float32Array(0), shape: [0, 6, 6, 4] }, filter: { values: seededValues(3 * 3 * 2 * 4, 5), shape: [3, 3, 2, 4] } },
      { strides: 1, pad: "same", dataFormat: "NHWC", inputShape: [0, 6, 6, 2] },
    );
    expect(empty.length).toBe(0);
    // 1×1 filter, 3 rows of padding on each side of a 1-row input: the 7 output rows read only padding.
    const padded = runEngineKernel(
      Conv2DBackpropInput,
      { dy: { values: seededValues(7 * 7, 6), shape: [1, 7, 7, 1] }, filter: { values: Float32Array.of(2), shape: [1, 1, 1, 1] } },
      {
        strides: 1,
        pad: [
          [0, 0],
          [3, 3],
          [3, 3],
          [0, 0],
        ],
        dataFormat: "NHWC",
        inputShape: [1, 1, 1, 1],
      },
    );
    // Only dy's centre entry reads the single input pixel.
    expect(Array.from(padded)).toEqual([2 * seededValues(7 * 7, 6)[24]!]);
  });

  it("leaks no tensors, engine bytes, backend buffers or wasm heap over many calls", () => {
    const cases: [Shape4, Shape4, object][] = [
      [[8, 16, 16, 8], [3, 3, 8, 16], { strides: 1, pad: "same" }],
      [[8, 16, 16, 8], [3, 3, 8, 16], { strides: 2, pad: "valid" }],
      [[8, 8, 16, 16], [3, 3, 8, 16], { strides: 1, pad: "same", dataFormat: "NCHW" }],
      [
        [2, 12, 12, 4],
        [3, 3, 4, 4],
        {
          strides: 1,
          dilations: 2,
          pad: [
            [0, 0],
            [5, 5],
            [5, 5],
            [0, 0],
          ],
        },
      ],
    ];
    const inputs = cases.map(([inputShape, filterShape, partial]) => {
      const attrs = { strides: 1, pad: "same", dataFormat: "NHWC", inputShape, ...partial } as Conv2DBackpropInputWasmAttrs;
      const info = backend_util.computeConv2DInfo(
        inputShape,
        filterShape,
        attrs.strides,
        attrs.dilations ?? 1,
        attrs.pad,
        undefined,
        false,
        backend_util.convertConv2DDataFormat(attrs.dataFormat),
      );
      return { dy: tf.randomNormal(info.outShape, 0, 1, "float32", 1), filter: tf.randomNormal(filterShape, 0, 1, "float32", 2), attrs };
    });
    const callAll = () => {
      for (const { dy, filter, attrs } of inputs) {
        (tf.engine().runKernel(Conv2DBackpropInput, { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dispose();
      }
    };
    callAll();
    const before = resourceSnapshot();
    for (let i = 0; i < 100; i++) callAll();
    expect(resourceSnapshot()).toEqual(before);
    tf.dispose(inputs.flatMap(({ dy, filter }) => [dy, filter]));
  });
});
