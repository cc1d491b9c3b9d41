import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { initBrowserBackend } from "./browser";

const NO_WEBGL = "WebGL is not available here (no WebGL 1 or 2 context could be created)";

// Node has no WebGL, so these exercise the browser code's fallback path.
describe("initBrowserBackend (under Node, without WebGL)", () => {
  beforeEach(() => {
    // tfjs logs its failed WebGL probes; keep the test output readable.
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("auto falls back to cpu and says why webgl was skipped", async () => {
    expect(await initBrowserBackend()).toEqual({ name: "cpu", detail: "cpu (plain JS)", fallbacks: [`webgl: ${NO_WEBGL}`] });
    expect(tf.getBackend()).toBe("cpu");
    expect(tf.getGradient("Conv2D")).toBeDefined();
  });

  it("throws a clear error for an explicit webgl", async () => {
    await expect(initBrowserBackend("webgl")).rejects.toThrow(`backend 'webgl' unavailable: ${NO_WEBGL}`);
    expect(tf.getBackend()).toBe("cpu");
  });

  it("loads an explicit cpu", async () => {
    expect(await initBrowserBackend("cpu")).toEqual({ name: "cpu", detail: "cpu (plain JS)", fallbacks: [] });
  });
});
