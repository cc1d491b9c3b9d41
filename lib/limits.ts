/** This server's per-user limits, and the one check of a run's length against them (builder, API, preview hand-off). */
import type { FieldIssue } from "../training/errors";

export interface Limits {
  /** Queued, not yet started runs one user may have at once. */
  maxQueuedRuns: number;
  /** Epochs per run. */
  maxEpochs: number;
  /** Runs in one comparison, one per seed. */
  maxRunsPerComparison: number;
}

/** The issue for a run longer than this server allows (at `path`), or null. */
export function epochLimitIssue(epochs: number, limits: Pick<Limits, "maxEpochs">, path: string): FieldIssue | null {
  return epochs > limits.maxEpochs ? { path, message: `must be ≤ ${limits.maxEpochs} (this server's limit)` } : null;
}
