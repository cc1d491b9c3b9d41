import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs-core";
import { Conv2DBackpropFilter, getKernel } from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { conv2dBackpropFilterWasmConfig } from "./kernels/conv2dBackpropFilterWasm";
import { initNodeBackend } from "./node";

const WEBGPU_NO_ADAPTER = "no WebGPU adapter (no GPU, or no Vulkan loader: apt-get install libvulkan1)";
const TENSORFLOW_MISSING =
  "@tensorflow/tfjs-node-gpu and @tensorflow/tfjs-node are not installed (they need libtensorflow, downloaded at install time)";

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** A tiny op whose result proves the active backend computes. */
function sumOfSquares(): number {
  return tf.tidy(() => tf.sum(tf.square(tf.tensor1d([1, 2, 3]))).dataSync()[0]!);
}

// Runs in order: each case starts from the backend the previous one left active.
describe("initNodeBackend", () => {
  it("runs where the optional tfjs-node packages are absent (what the cases below assume)", () => {
    expect(installed("@tensorflow/tfjs-node-gpu")).toBe(false);
    expect(installed("@tensorflow/tfjs-node")).toBe(false);
  });

  it("auto picks wasm, says why tensorflow was skipped, and readies wasm for training", async () => {
    const loaded = await initNodeBackend();
    expect(loaded.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(loaded.detail).toMatch(/^wasm \((SIMD|no SIMD), \d+ threads?\)$/);
    // No GPU here (no Vulkan loader on the library path): Dawn finds no adapter.
    expect(loaded.fallbacks).toEqual([`tensorflow: ${TENSORFLOW_MISSING}`, `webgpu: ${WEBGPU_NO_ADAPTER}`]);
    expect(getKernel(Conv2DBackpropFilter, "wasm")).toBe(conv2dBackpropFilterWasmConfig);
    expect(tf.getGradient("Conv2D")).toBeDefined();
    expect(sumOfSquares()).toBe(14);
  });

  it("leaves no Emscripten rethrow handlers on process", () => {
    const sources = [...process.listeners("uncaughtException"), ...process.listeners("unhandledRejection")].map(String);
    expect(sources.filter((s) => /ExitStatus|throw reason/.test(s))).toEqual([]);
  });

  it("throws a clear error for an explicit tensorflow that cannot load, keeping the active backend", async () => {
    await expect(initNodeBackend("tensorflow")).rejects.toThrow(`backend 'tensorflow' unavailable: ${TENSORFLOW_MISSING}`);
    expect(tf.getBackend()).toBe("wasm");
  });

  it("throws a clear error for an explicit webgpu without an adapter, keeping the active backend", async () => {
    await expect(initNodeBackend("webgpu")).rejects.toThrow(`backend 'webgpu' unavailable: ${WEBGPU_NO_ADAPTER}`);
    expect(tf.getBackend()).toBe("wasm");
  });

  it("loads an explicit cpu without trying anything else", async () => {
    expect(await initNodeBackend("cpu")).toEqual({ name: "cpu", detail: "cpu (plain JS)", fallbacks: [] });
    expect(tf.getBackend()).toBe("cpu");
    expect(sumOfSquares()).toBe(14);
  });

  it("switches back to an explicit wasm", async () => {
    const loaded = await initNodeBackend("wasm");
    expect([loaded.name, loaded.fallbacks]).toEqual(["wasm", []]);
    expect(tf.getBackend()).toBe("wasm");
  });

  it("rejects a preference it does not know", async () => {
    await expect(initNodeBackend("gpu" as never)).rejects.toThrow(/Invalid option|expected one of/i);
    expect(tf.getBackend()).toBe("wasm");
  });
});
