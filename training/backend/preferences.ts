/**
 * Backend names users can ask for, kept free of tfjs so validation (CLI flags, API input)
 * never loads it.
 */
import { z } from "zod";

/**
 * Node: "auto" tries tensorflow (tfjs-node-gpu, tfjs-node), then webgpu (Dawn; hardware adapters
 * only), then wasm, then cpu.
 */
export const NODE_BACKENDS = z.enum(["auto", "tensorflow", "webgpu", "wasm", "cpu"]);
export type NodeBackendPreference = z.infer<typeof NODE_BACKENDS>;

/** Browser: "auto" tries webgl, then cpu. */
export const BROWSER_BACKENDS = z.enum(["auto", "webgl", "cpu"]);
export type BrowserBackendPreference = z.infer<typeof BROWSER_BACKENDS>;

/** What `initNodeBackend` / `initBrowserBackend` loaded. */
export interface LoadedBackend {
  /** tfjs backend name now active (`tf.getBackend()`). */
  name: string;
  /** Human-readable: what exactly loaded, e.g. "wasm (SIMD, 1 thread)". */
  detail: string;
  /** Backends tried before this one, each as "name: why it failed". */
  fallbacks: string[];
}
