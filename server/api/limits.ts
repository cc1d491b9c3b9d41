/** Per-user quotas for the web app, from the environment (see env.ts for the defaults). */
import type { Env } from "../../env";

export interface Limits {
  /** Queued, not yet started runs one user may have at once. */
  maxQueuedRuns: number;
  /** Epochs per run. */
  maxEpochs: number;
  /** Runs in one comparison, one per seed. */
  maxRunsPerComparison: number;
}

export function limitsFromEnv(env: Pick<Env, "LRLAB_MAX_QUEUED_RUNS" | "LRLAB_MAX_EPOCHS" | "LRLAB_MAX_RUNS_PER_COMPARISON">): Limits {
  return {
    maxQueuedRuns: env.LRLAB_MAX_QUEUED_RUNS,
    maxEpochs: env.LRLAB_MAX_EPOCHS,
    maxRunsPerComparison: env.LRLAB_MAX_RUNS_PER_COMPARISON,
  };
}
