/**
 * The WebGPU backend through Dawn (the `webgpu` package), exercised on Chromium's SwiftShader
 * Vulkan driver: a software adapter, so "auto" must refuse it, and an explicit, allowed "webgpu"
 * must train the seed CNN to cpu's loss and gradients. Runs in a child process: the Vulkan loader
 * and driver are found through LD_LIBRARY_PATH / VK_ICD_FILENAMES, read at process start.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeAdapter, isSoftwareAdapter } from "./webgpuNode";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = "/usr/lib/chromium";
const SWIFTSHADER_ICD = path.join(CHROMIUM, "vk_swiftshader_icd.json");

function runCheck(env: Record<string, string>): Promise<{ line?: string; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "testing", "webgpuCheck.ts")], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", () => resolve({ line: out.split("\n").find((l) => l.startsWith("WEBGPU ")), out }));
  });
}

describe("webgpu in Node (Dawn)", () => {
  it("tells software adapters from hardware ones", () => {
    const swiftshader = {
      vendor: "google",
      architecture: "swiftshader",
      device: "swiftshader-device-subzero-",
      description: "SwiftShader driver 5.0.0",
      fallback: true,
    };
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter({ ...swiftshader, fallback: false })).toBe(true);
    expect(
      isSoftwareAdapter({ vendor: "mesa", architecture: "", device: "llvmpipe (LLVM 15.0.6, 256 bits)", description: "", fallback: false }),
    ).toBe(true);
    const h100 = { vendor: "nvidia", architecture: "hopper", device: "NVIDIA H100 80GB HBM3", description: "", fallback: false };
    expect(isSoftwareAdapter(h100)).toBe(false);
    expect(describeAdapter(h100)).toBe("nvidia hopper NVIDIA H100 80GB HBM3");
  });

  it("without a Vulkan driver: an explicit webgpu reports that there is no adapter", async () => {
    const { out } = await runCheck({ VK_ICD_FILENAMES: "/nonexistent.json" });
    expect(out).toMatch(/backend 'webgpu' unavailable: no WebGPU adapter/);
  }, 180_000);

  // Chromium ships SwiftShader; without it there is no adapter to test on, and vitest reports the skip.
  it.skipIf(!fs.existsSync(SWIFTSHADER_ICD))(
    "on SwiftShader: auto refuses the software adapter; an allowed webgpu gives cpu's loss and gradients",
    async () => {
      const { line, out } = await runCheck({ LD_LIBRARY_PATH: CHROMIUM, VK_ICD_FILENAMES: SWIFTSHADER_ICD });
      expect(line, out.slice(-3000)).toBeDefined();
      const report = JSON.parse(line!.slice("WEBGPU ".length)) as {
        auto: { name: string; fallbacks: string[] };
        webgpu: string;
        loss: [number, number];
        gradErrors: number[];
      };
      expect(report.auto.name).toBe("wasm");
      expect(report.auto.fallbacks).toContainEqual(
        expect.stringMatching(/^webgpu: only a software adapter \(google swiftshader.*\) was found/),
      );
      expect(report.webgpu).toMatch(/^webgpu \(google swiftshader.*, software\)$/);
      expect(Math.abs(report.loss[0] - report.loss[1]) / report.loss[1]).toBeLessThan(1e-4);
      expect(report.gradErrors).toHaveLength(12);
      for (const e of report.gradErrors) expect(e).toBeLessThan(1e-4);
    },
    180_000,
  );
});
