/** The `--backend` flag and Ctrl-C handling shared by the commands that train (train, lr-find). */
import type { LoadedBackend } from "../backend/preferences";
import { UsageError } from "./command";

const BACKENDS = ["auto", "tensorflow", "wasm", "cpu"] as const;
export type BackendFlag = (typeof BACKENDS)[number];

export function backendFlag(values: Record<string, unknown>): BackendFlag {
  const backend = String(values.backend) as BackendFlag;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend: must be one of ${BACKENDS.join(", ")}`);
  return backend;
}

/** Loads tfjs on the chosen backend (only now: input is already known to be good) and says which on stderr. */
export async function startNodeBackend(flag: BackendFlag): Promise<LoadedBackend> {
  const { initNodeBackend } = await import("../backend/node");
  const loaded = await initNodeBackend(flag);
  process.stderr.write(`backend: ${loaded.detail}${loaded.fallbacks.length ? ` (skipped: ${loaded.fallbacks.join("; ")})` : ""}\n`);
  return loaded;
}

/** Runs `work` with a signal that SIGINT or SIGTERM aborts. */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
