/**
 * The builder's state for one run, its validation (the same schemas and checks the server and
 * the worker apply) and its learning-rate curve (the worker's own scheduler code). Pure: no
 * React, no tfjs.
 */
import { epochLimitIssue, type Limits } from "../../../lib/limits";
import { runDraftSchema, type RunDraftInput } from "../../../lib/schemas";
import { tuneIssues } from "../../../lib/tunings";
import { parseRunConfig, stepsPerEpoch, type RunConfig } from "../../../training/config";
import { ValidationError, zodIssues, type FieldIssue } from "../../../training/errors";
import { articleComparison } from "../../../training/presets";
import { createScheduler } from "../../../training/schedules/create";
import { isPerStep } from "../../../training/schedules/describe";

/** One run being edited. Numbers may be NaN or missing while the user types. */
export interface DraftRun {
  key: string;
  config: RunDraftInput["config"];
  seeds: number[];
  /** "Tune lr": the comparison queues an lr sweep of this draft, then the best lr with k seeds, instead of its seeds. */
  tune?: RunDraftInput["tune"];
}

let nextKey = 0;
export function draftKey(): string {
  nextKey += 1;
  return `run-${nextKey}`;
}

export const DEFAULT_CONFIG: RunDraftInput["config"] = {
  epochs: 20,
  batchSize: 64,
  optimizer: { kind: "sgd", momentum: 0, nesterov: false },
  schedule: { kind: "constant", lr: 0.1 },
  augment: false,
};

export function newDraft(config: RunDraftInput["config"] = DEFAULT_CONFIG, seeds: number[] = [0], tune?: DraftRun["tune"]): DraftRun {
  return { key: draftKey(), config: structuredClone(config), seeds: [...seeds], ...(tune ? { tune: { ...tune } } : {}) };
}

/** What the procedures receive for a draft. */
export function draftInput(draft: DraftRun): RunDraftInput {
  return { config: draft.config, seeds: draft.seeds, ...(draft.tune ? { tune: draft.tune } : {}) };
}

export interface DraftCheck {
  /** Paths relative to the draft: `config.schedule.lr`, `seeds[1]`. */
  issues: FieldIssue[];
  /** The validated config (first seed), when there are no issues. */
  config: RunConfig | null;
}

export function checkDraft(draft: DraftRun, limits: Pick<Limits, "maxEpochs">): DraftCheck {
  const parsed = runDraftSchema.safeParse(draftInput(draft));
  if (!parsed.success) return { issues: zodIssues(parsed.error), config: null };
  const tooLong = epochLimitIssue(parsed.data.config.epochs, limits, "config.epochs");
  if (tooLong) return { issues: [tooLong], config: null };
  try {
    const config = parseRunConfig({ ...parsed.data.config, seed: parsed.data.seeds[0] });
    const tuning = parsed.data.tune ? tuneIssues(parsed.data, config) : [];
    return tuning.length > 0 ? { issues: tuning, config: null } : { issues: [], config };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { issues: error.issues.map((issue) => ({ path: `config.${issue.path}`, message: issue.message })), config: null };
  }
}

/**
 * Server issues for the run list (`runs[2].config.epochs`) sorted onto drafts by index, with
 * paths relative to each draft; the rest (title, quotas) stay in `general`.
 */
export function splitServerIssues(
  issues: readonly FieldIssue[],
  field: string,
): { byRun: Map<number, FieldIssue[]>; general: FieldIssue[] } {
  const byRun = new Map<number, FieldIssue[]>();
  const general: FieldIssue[] = [];
  const pattern = new RegExp(`^${field}\\[(\\d+)\\]\\.?(.*)$`);
  for (const issue of issues) {
    const match = pattern.exec(issue.path);
    if (!match) {
      general.push(issue);
      continue;
    }
    const i = Number(match[1]);
    byRun.set(i, [...(byRun.get(i) ?? []), { path: match[2] ?? "", message: issue.message }]);
  }
  return { byRun, general };
}

export interface LrCurve {
  /** Epochs, fractional for per-step schedules. */
  x: number[];
  y: number[];
  perStep: boolean;
}

/**
 * The learning rate over the whole run, as the worker's scheduler computes it. Per-epoch
 * schedules are drawn as stairs; per-step ones are reduced to at most `maxPoints` points by
 * keeping each bucket's minimum and maximum, so short cycles still show their full swing.
 * reduceOnPlateau is drawn without reductions (they depend on the run's metrics).
 */
export function lrCurve(config: RunConfig, maxPoints = 1600): LrCurve | null {
  const spe = stepsPerEpoch(config);
  const scheduler = createScheduler(config.schedule, { epochs: config.epochs, stepsPerEpoch: spe });
  const x: number[] = [];
  const y: number[] = [];
  try {
    if (!isPerStep(config.schedule)) {
      for (let epoch = 0; epoch < config.epochs; epoch++) {
        const lr = scheduler.lr(epoch, 0);
        x.push(epoch, epoch + 1);
        y.push(lr, lr);
      }
      return { x, y, perStep: false };
    }
    const total = config.epochs * spe;
    const bucket = Math.max(1, Math.ceil(total / (maxPoints / 2)));
    for (let start = 0; start < total; start += bucket) {
      let lo = Infinity;
      let hi = -Infinity;
      let loAt = start;
      let hiAt = start;
      for (let step = start; step < Math.min(total, start + bucket); step++) {
        const lr = scheduler.lr(Math.floor(step / spe), step % spe);
        if (lr < lo) [lo, loAt] = [lr, step];
        if (lr > hi) [hi, hiAt] = [lr, step];
      }
      const points =
        loAt <= hiAt
          ? [
              [loAt, lo],
              [hiAt, hi],
            ]
          : [
              [hiAt, hi],
              [loAt, lo],
            ];
      for (const [step, lr] of points) {
        if (x.length > 0 && x[x.length - 1] === step! / spe) continue;
        x.push(step! / spe);
        y.push(lr!);
      }
    }
    return { x, y, perStep: true };
  } catch {
    return null; // an lr the validator rejects; its message is shown on the field
  }
}

/** The article's eight runs, with the subset sizes and epochs of `like` (so quick tests stay quick). */
export function articleDrafts(like: RunDraftInput["config"] | undefined): DraftRun[] {
  const epochs =
    typeof like?.epochs === "number" && Number.isInteger(like.epochs) && like.epochs >= 1 ? like.epochs : DEFAULT_CONFIG.epochs;
  return articleComparison(epochs).map(({ config }) => {
    const { seed: _seed, ...rest } = config;
    const subset = {
      ...(like?.trainLimit !== undefined ? { trainLimit: like.trainLimit } : {}),
      ...(like?.testLimit !== undefined ? { testLimit: like.testLimit } : {}),
    };
    return newDraft({ ...rest, ...subset, augment: like?.augment ?? false });
  });
}

export const ARTICLE_RUN_NAMES: readonly string[] = articleComparison(1).map((preset) => preset.name);

/** One of the article's runs by name, as a draft like `like`. */
export function articleDraft(name: string, like: RunDraftInput["config"] | undefined): DraftRun | null {
  const i = ARTICLE_RUN_NAMES.indexOf(name);
  return i < 0 ? null : articleDrafts(like)[i]!;
}
