import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend, wasmThreadsWanted } from "./node";
import { stepDigest, type StepDigest } from "./testing/stepDigest";
import { availableCores } from "./wasmThreads";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The digest computed in a fresh process with LRLAB_WASM_THREADS=threads. */
function digestInChild(threads: number): Promise<StepDigest> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "testing", "stepDigest.ts")], {
      env: { ...process.env, LRLAB_WASM_THREADS: String(threads) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("DIGEST "));
      if (line) resolve(JSON.parse(line.slice(7)) as StepDigest);
      else reject(new Error(`digest child exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

const THREADS = 2;

beforeAll(async () => {
  await initNodeBackend("wasm", { wasmThreads: THREADS });
});

describe("wasm threads in Node", () => {
  it("runs the threaded build with the threads asked for: one pool worker besides the caller, no idle workers", () => {
    const wasm = (tf.backend() as unknown as { wasm: { PThread: { runningWorkers: unknown[]; unusedWorkers: unknown[] } } }).wasm;
    expect(tf.getBackend()).toBe("wasm");
    expect(wasm.PThread.runningWorkers.length).toBe(THREADS - 1);
    expect(wasm.PThread.unusedWorkers.length).toBe(0);
  });

  it("trains to the same bits as the single-threaded build", async () => {
    const [single, threaded] = await Promise.all([digestInChild(1), stepDigest()]);
    expect(single.detail).toMatch(/1 thread\)$/);
    expect(threaded.losses.every(Number.isFinite)).toBe(true);
    expect(threaded).toEqual({ losses: single.losses, weightsCrc: single.weightsCrc });
  }, 120_000);

  it("takes the thread count from the option, else LRLAB_WASM_THREADS, else the core count", () => {
    const saved = process.env.LRLAB_WASM_THREADS;
    try {
      delete process.env.LRLAB_WASM_THREADS;
      expect(wasmThreadsWanted()).toBe(availableCores());
      process.env.LRLAB_WASM_THREADS = "3";
      expect(wasmThreadsWanted()).toBe(3);
      expect(wasmThreadsWanted({ wasmThreads: 1 })).toBe(1);
      process.env.LRLAB_WASM_THREADS = "lots";
      expect(wasmThreadsWanted()).toBe(availableCores());
      expect(() => wasmThreadsWanted({ wasmThreads: 0 })).toThrow(/positive integer/);
    } finally {
      if (saved === undefined) delete process.env.LRLAB_WASM_THREADS;
      else process.env.LRLAB_WASM_THREADS = saved;
    }
  });
});
