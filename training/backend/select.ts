import type { LoadedBackend } from "./preferences";

/** Loads and activates one backend; resolves to its `detail` or throws saying why it cannot. */
export type BackendLoader = () => Promise<string>;

/** Thrown when an explicitly requested backend cannot load. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super(`backend '${backend}' unavailable: ${reason}`);
    this.name = "BackendUnavailableError";
  }
}

export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Loader errors can carry whole stack-like blobs; the first line says what happened.
  return text.split("\n")[0]?.trim() || "unknown error";
}

/**
 * Tries `order` in turn and returns the first that loads. With a single explicit choice
 * (`order.length === 1`) a failure throws BackendUnavailableError instead of falling back.
 */
export async function selectBackend<N extends string>(order: readonly N[], loaders: Record<N, BackendLoader>): Promise<LoadedBackend> {
  const fallbacks: string[] = [];
  for (const name of order) {
    try {
      const detail = await loaders[name]();
      return { name, detail, fallbacks };
    } catch (error) {
      const reason = errorMessage(error);
      if (order.length === 1) throw new BackendUnavailableError(name, reason);
      fallbacks.push(`${name}: ${reason}`);
    }
  }
  throw new Error(`no tfjs backend could be loaded (${fallbacks.join("; ")})`);
}
