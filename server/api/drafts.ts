/**
 * Turns the builder's run drafts into validated run configs, one per seed, applying this
 * server's quotas. Every problem is collected first, so the user sees all of them at once.
 */
import { parseRunConfig, type RunConfig } from "../../training/config";
import { ValidationError, type FieldIssue } from "../../training/errors";
import type { Limits } from "./limits";
import type { RunDraft } from "../../lib/schemas";

export function expandDrafts(drafts: readonly RunDraft[], limits: Limits, field = "runs"): RunConfig[] {
  const issues: FieldIssue[] = [];
  const configs: RunConfig[] = [];
  drafts.forEach((draft, i) => {
    const at = `${field}[${i}]`;
    if (draft.config.epochs > limits.maxEpochs) {
      issues.push({ path: `${at}.config.epochs`, message: `must be ≤ ${limits.maxEpochs} (this server's limit)` });
      return;
    }
    for (const seed of draft.seeds) {
      try {
        configs.push(parseRunConfig({ ...draft.config, seed }));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        issues.push(...error.issues.map((issue) => ({ path: `${at}.config.${issue.path}`, message: issue.message })));
        return; // the other seeds would repeat the same problems
      }
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return configs;
}

/** Runs a comparison may hold, counting every seed. */
export function checkRunCount(existing: number, adding: number, limits: Limits, field = "runs"): void {
  const total = existing + adding;
  if (total > limits.maxRunsPerComparison) {
    throw new ValidationError([
      {
        path: field,
        message: `would make ${total} runs (one per seed), more than this server's ${limits.maxRunsPerComparison} per comparison`,
      },
    ]);
  }
}
