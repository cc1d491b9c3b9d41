/**
 * Picks and starts the tfjs backend in Node (CLI, worker, tests). Node-only: resolves
 * package files on disk and touches `process`. The browser counterpart is ./browser.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { registerAllGradients } from "./gradients";
import { NODE_BACKENDS, type LoadedBackend, type NodeBackendPreference } from "./preferences";
import { registerWasmKernels } from "./registerWasmKernels";
import { errorMessage, selectBackend, type BackendLoader } from "./select";
import { availableCores, threadedStartFailure, useThreadedWasm } from "./wasmThreads";
import { loadWebgpuBackend } from "./webgpuNode";

export { NODE_BACKENDS, type LoadedBackend, type NodeBackendPreference };

type NodeBackendName = Exclude<NodeBackendPreference, "auto">;

/** Fastest first: the GPU paths (tfjs-node-gpu, then Dawn's WebGPU on a hardware adapter), then CPU. */
const AUTO_ORDER: readonly NodeBackendName[] = ["tensorflow", "webgpu", "wasm", "cpu"];

/** Both register a backend named "tensorflow"; the GPU build first. */
const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

export interface NodeBackendOptions {
  /**
   * Threads for the wasm backend's XNNPACK operators (the calling thread counts as one):
   * default `LRLAB_WASM_THREADS`, else every available core. 1 loads the single-threaded build.
   * Fixed by the first wasm start in a process; later calls report what is running.
   */
  wasmThreads?: number;
  /**
   * Let an explicit "webgpu" run on a software adapter (SwiftShader, llvmpipe): for correctness
   * tests only. "auto" never picks one.
   */
  allowSoftwareGpu?: boolean;
}

/** The wasm thread count to ask for: the option, else LRLAB_WASM_THREADS, else all cores. */
export function wasmThreadsWanted(options: NodeBackendOptions = {}): number {
  const fromEnv = Number(process.env.LRLAB_WASM_THREADS);
  const wanted = options.wasmThreads ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableCores());
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`wasm threads must be a positive integer, got ${wanted}`);
  return wanted;
}

/**
 * Activates a backend and registers what training needs on it (gradients; wasm's missing
 * and faster kernels; wasm threads). "auto" falls back along AUTO_ORDER and lists what it
 * skipped and why; an explicit choice that cannot load throws BackendUnavailableError.
 */
export async function initNodeBackend(
  preference: NodeBackendPreference = "auto",
  options: NodeBackendOptions = {},
): Promise<LoadedBackend> {
  const choice = NODE_BACKENDS.parse(preference);
  const threads = wasmThreadsWanted(options);
  // Production mode silences tfjs's console banners ("install tfjs-node" and the like): the
  // chosen backend and what was skipped are reported in the result instead.
  tf.env().set("PROD", true);
  registerAllGradients();
  const loaders: Record<NodeBackendName, BackendLoader> = {
    tensorflow: loadTensorflow,
    webgpu: () => loadWebgpuBackend({ allowSoftware: choice === "webgpu" && options.allowSoftwareGpu === true }),
    wasm: () => loadWasm(threads),
    cpu: loadCpu,
  };
  return selectBackend(choice === "auto" ? AUTO_ORDER : [choice], loaders);
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the '${name}' backend failed to initialise`);
  await tf.ready();
}

async function loadTensorflow(): Promise<string> {
  const missing: string[] = [];
  const broken: string[] = [];
  for (const pkg of TFJS_NODE_PACKAGES) {
    try {
      // A variable specifier: these optional packages are usually absent, and must not be
      // resolved at build or type-check time.
      await import(/* @vite-ignore */ pkg);
    } catch (error) {
      if (isNotInstalled(error, pkg)) missing.push(pkg);
      else broken.push(`${pkg} failed to load: ${errorMessage(error)}`);
      continue;
    }
    await activate("tensorflow");
    return `tensorflow (${pkg})`;
  }
  const parts = [...broken];
  if (missing.length > 0) {
    parts.push(
      `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not installed ` +
        `(${missing.length > 1 ? "they need" : "it needs"} libtensorflow, downloaded at install time)`,
    );
  }
  throw new Error(parts.join("; "));
}

function isNotInstalled(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = errorMessage(error);
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return message.includes(pkg);
  // Vitest's module runner words it differently.
  return /cannot find (package|module)|failed to (load|resolve)/i.test(message) && message.includes(pkg);
}

/** Not `tf.findBackend("wasm")`: that would start initialising it, before the paths are set. */
let wasmPathsSet = false;

async function loadWasm(threads: number): Promise<string> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (!wasmPathsSet) {
    // Before the first start only (the engine keeps one instance per backend name).
    if (threads > 1) useThreadedWasm(threads);
    // The .wasm binaries sit next to the package's Node entry; pointing there explicitly
    // keeps loading independent of how the entry was reached (tsx, vitest, plain node).
    const entry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(path.dirname(entry) + path.sep);
    wasmPathsSet = true;
  }
  registerWasmKernels();
  const before = processHandlers();
  try {
    await activate("wasm");
  } finally {
    dropEmscriptenHandlers(before);
  }
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const running = wasm.getThreadsCount();
  const note = threadedStartFailure ? `; threads unavailable: ${threadedStartFailure}` : "";
  return `wasm (${simd ? "SIMD" : "no SIMD"}, ${running} thread${running === 1 ? "" : "s"}${note})`;
}

async function loadCpu(): Promise<string> {
  await activate("cpu");
  return "cpu (plain JS)";
}

type ProcessEvent = "uncaughtException" | "unhandledRejection";
const PROCESS_EVENTS: readonly ProcessEvent[] = ["uncaughtException", "unhandledRejection"];

/** `process` as a plain emitter: its per-event overloads do not take a union of events. */
const emitter: NodeJS.EventEmitter = process;

type Listener = (...args: unknown[]) => void;

function processHandlers(): Map<ProcessEvent, Set<Listener>> {
  return new Map(PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event) as Listener[])]));
}

/**
 * The Emscripten glue in tfjs-backend-wasm adds process handlers that rethrow every
 * uncaught error and rejection from inside its one-line, ~30 kB minified source, so each
 * crash report would print that line. Node's default handling does the same job without it;
 * remove just those handlers (added during init, with Emscripten's rethrow bodies).
 */
function dropEmscriptenHandlers(before: Map<ProcessEvent, Set<Listener>>): void {
  for (const event of PROCESS_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (before.get(event)?.has(listener as Listener)) continue;
      const source = String(listener);
      if (/ExitStatus/.test(source) || /^function\s*\(\s*reason\s*\)\s*\{\s*throw reason;?\s*\}$/.test(source)) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}
