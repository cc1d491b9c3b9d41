/**
 * Turns the builder's run drafts into validated run configs, one per seed, applying this
 * server's quotas. Every problem of a kind is collected, so the user sees all of them at once.
 */
import { checkRunSchedule, type RunConfig } from "../../training/config";
import type { TuneSettings } from "../../training/tuning/sweep";
import { tuneIssues } from "../../lib/tunings";
import { ValidationError, type FieldIssue } from "../../training/errors";
import { epochLimitIssue, type Limits } from "../../lib/limits";
import { draftRunCount, type RunDraft } from "../../lib/schemas";
import { compileAhead } from "../../training/expression/compile";
import { formulaTexts } from "../../training/schedules/nesting";
import { yieldToEventLoop } from "../../training/trainer/yieldToEventLoop";

/** A draft marked "Tune lr": its config (seed: the sweep's) and the sweep settings. */
export interface TunedDraft {
  base: RunConfig;
  settings: TuneSettings;
}

export interface ExpandedDrafts {
  /** One per seed of the plain drafts. */
  configs: RunConfig[];
  tuned: TunedDraft[];
}

export async function expandDrafts(drafts: readonly RunDraft[], limits: Limits, field = "runs"): Promise<ExpandedDrafts> {
  // Cheap checks first: no schedule is evaluated for a request over this server's limits.
  const tooLong: FieldIssue[] = drafts.flatMap(
    (draft, i) => epochLimitIssue(draft.config.epochs, limits, `${field}[${i}].config.epochs`) ?? [],
  );
  if (tooLong.length > 0) throw new ValidationError(tooLong);
  const issues: FieldIssue[] = [];
  const configs: RunConfig[] = [];
  const tuned: TunedDraft[] = [];
  for (const [i, draft] of drafts.entries()) {
    // Each check is bounded; between drafts, other requests get the event loop.
    if (i > 0) await yieldToEventLoop();
    // Compiled in slices again if the request held more formulas than are remembered.
    await compileAhead(formulaTexts(draft.config.schedule));
    try {
      // The draft schema has parsed the config; its schedule is checked once, as seeds change nothing it looks at.
      const config = checkRunSchedule({ ...draft.config, seed: draft.seeds[0]! });
      if (draft.tune) {
        const problems = tuneIssues(draft, config).map((issue) => ({ ...issue, path: `${field}[${i}].${issue.path}` }));
        issues.push(...problems);
        if (problems.length === 0) tuned.push({ base: config, settings: draft.tune });
      } else for (const seed of draft.seeds) configs.push({ ...config, seed });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues.map((issue) => ({ path: `${field}[${i}].config.${issue.path}`, message: issue.message })));
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { configs, tuned };
}

/** Runs the drafts would queue: one per seed, and for a tuned draft its whole sweep and its final runs. */
export function seedCount(drafts: readonly RunDraft[]): number {
  return drafts.reduce((sum, draft) => sum + draftRunCount(draft), 0);
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
