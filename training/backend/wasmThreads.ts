/**
 * Multi-threaded tfjs-backend-wasm in Node. Node-only.
 *
 * tfjs-backend-wasm ships a threaded SIMD build (XNNPACK on a pthreadpool of Emscripten
 * pthreads, i.e. worker_threads sharing one WebAssembly.Memory) but never loads it in Node:
 * its thread-support flag answers false there, and its loader hands Emscripten the worker script
 * and main script as Blob URLs, which Node's Worker and the script's `importScripts` shim cannot
 * read. This module loads the same build with file paths instead and registers it as the "wasm"
 * backend, so every kernel (native and ours) runs on it unchanged; XNNPACK's convolutions,
 * matrix products and other parallel operators then use `threads` threads (the calling thread
 * is one of them).
 *
 * Two details of the build are worked around:
 * - the pool size is capped at emscripten_num_logical_cores() / 2, read once at start-up from
 *   `os.cpus().length` (halved because browsers count hyper-threads); os.cpus is made to report
 *   2·threads entries for the duration of the start-up;
 * - Emscripten pre-spawns 8 workers; the unused ones are terminated, and the pool's own worker
 *   is unref'd so that it does not keep the process alive.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

const require = createRequire(import.meta.url);

/** The CPUs this process may use (the default thread count). */
export function availableCores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Emscripten's pthread worker, a node:worker_threads Worker. */
interface EmscriptenWorker {
  unref(): void;
  terminate(): unknown;
}

interface ThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[] };
  tfjs?: unknown;
}

type ThreadedFactory = (config: {
  locateFile: (file: string, prefix: string) => string;
  mainScriptUrlOrBlob: string;
}) => Promise<ThreadedModule>;

interface WasmPackage {
  BackendWasm: new (module: never) => BackendWasm;
  setThreadsCount(n: number): void;
}

function packageRoot(): string {
  // dist/tf-backend-wasm.node.js → the package folder.
  return path.dirname(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")));
}

/**
 * The pthread worker script. The package keeps it as a string (for a Blob URL); Node needs a
 * file. Its newlines inside string literals arrive unescaped (the package escapes them when it
 * builds the Blob), so they are escaped the same way. Written once per content, atomically.
 */
function workerScriptFile(root: string): string {
  const { wasmWorkerContents } = require(path.join(root, "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string;
  };
  const source = wasmWorkerContents.replace(/\n/g, "\\n");
  const digest = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const file = path.join(os.tmpdir(), `lrlab-tfjs-wasm-threaded-${digest}.worker.cjs`);
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, source);
    fs.renameSync(partial, file);
  }
  return file;
}

/** Runs `start` while os.cpus() reports `count` entries. */
async function withReportedCpus<T>(count: number, start: () => Promise<T>): Promise<T> {
  const osModule = require("node:os") as { cpus: typeof os.cpus };
  const real = osModule.cpus;
  osModule.cpus = () => {
    const cpus = real();
    return Array.from({ length: count }, (_, i) => cpus[i % cpus.length]!);
  };
  try {
    return await start();
  } finally {
    osModule.cpus = real;
  }
}

/** Creates a BackendWasm on the threaded SIMD build with `threads` threads (≥ 2). */
export async function createThreadedWasmBackend(threads: number, startTimeoutMs = 60_000): Promise<BackendWasm> {
  const wasmPkg = (await import("@tensorflow/tfjs-backend-wasm")) as unknown as WasmPackage;
  const root = packageRoot();
  const factory = require(path.join(root, "wasm-out", "tfjs-backend-wasm-threaded-simd.js")) as ThreadedFactory;
  const workerFile = workerScriptFile(root);
  const mainScript = path.join(root, "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
  const binary = path.join(root, "dist", "tfjs-backend-wasm-threaded-simd.wasm");

  let timer: NodeJS.Timeout | undefined;
  const module = await withReportedCpus(2 * threads, () =>
    Promise.race([
      factory({
        locateFile: (file) =>
          file.endsWith(".worker.js") ? workerFile : file.endsWith(".wasm") ? binary : path.join(root, "wasm-out", file),
        mainScriptUrlOrBlob: mainScript,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the threaded wasm module did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer)),
  );
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  wasmPkg.setThreadsCount(threads);
  // The constructor creates the pthreadpool (threads − 1 workers taken from Emscripten's pool).
  const backend = new wasmPkg.BackendWasm(module as never);
  for (const worker of module.PThread.runningWorkers) worker.unref();
  for (const worker of module.PThread.unusedWorkers.splice(0)) void worker.terminate();
  return backend;
}

/**
 * Makes `tf.setBackend("wasm")` start the threaded build with `threads` threads, falling back to
 * the package's own (single-threaded) start if the threaded one fails. Must run after the wasm
 * package is imported (it registers the backend) and before the backend is first initialised;
 * returns false, changing nothing, if the backend is already running.
 */
export function useThreadedWasm(threads: number): boolean {
  const engine = tf.engine() as unknown as {
    registry: Record<string, unknown>;
    registryFactory: Record<string, { factory: () => Promise<tf.KernelBackend> | tf.KernelBackend; priority: number } | undefined>;
  };
  if (engine.registry.wasm != null) return false;
  const entry = engine.registryFactory.wasm;
  if (entry == null) throw new Error("the wasm backend is not registered (import @tensorflow/tfjs-backend-wasm first)");
  const original = entry.factory;
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    async () => {
      try {
        return await createThreadedWasmBackend(threads);
      } catch (error) {
        threadedStartFailure = error instanceof Error ? error.message : String(error);
        return original();
      }
    },
    entry.priority,
  );
  return true;
}

/** Why the last threaded start fell back to a single thread, if it did. */
export let threadedStartFailure: string | undefined;
