/** Per-user quotas for the web app, from the environment (see env.ts for the defaults). */
import type { Env } from "../../env";
import type { Limits } from "../../lib/limits";

export function limitsFromEnv(env: Pick<Env, "LRLAB_MAX_QUEUED_RUNS" | "LRLAB_MAX_EPOCHS" | "LRLAB_MAX_RUNS_PER_COMPARISON">): Limits {
  return {
    maxQueuedRuns: env.LRLAB_MAX_QUEUED_RUNS,
    maxEpochs: env.LRLAB_MAX_EPOCHS,
    maxRunsPerComparison: env.LRLAB_MAX_RUNS_PER_COMPARISON,
  };
}
