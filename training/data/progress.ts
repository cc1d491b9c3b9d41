/** Progress reporting shared by prepare's phases. */

/**
 * download / read: bytes of the archive (or source files) so far and in all;
 * decode: images decoded; write: examples written to the cache.
 */
export type PreparePhase = "download" | "read" | "decode" | "write";
export type ProgressFn = (done: number, total: number, phase: PreparePhase) => void;
