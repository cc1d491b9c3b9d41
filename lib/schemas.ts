/**
 * Procedure inputs. The run config part is the training core's own schema, so the builder, the
 * API and the worker all accept and reject the same things with the same messages.
 */
import { z } from "zod";
import { MAX_SEED, runConfigSchema } from "../training/config";
import { textField } from "../training/text";
import { compileAhead } from "../training/expression/compile";
import { formulaTexts } from "../training/schedules/nesting";
import { yieldToEventLoop } from "../training/trainer/yieldToEventLoop";
import { DEFAULT_FINAL_SEEDS, DEFAULT_SWEEP_SIZE, tuneSettingsSchema } from "../training/tuning/sweep";
import { uuid } from "../training/validation";
import { VISIBILITIES } from "./constants";

export const MAX_SEEDS_PER_RUN = 10;
export const MAX_RUN_DRAFTS = 50;

const seed = z.number().refine(Number.isInteger, "must be an integer").min(0, "must be ≥ 0").max(MAX_SEED, `must be ≤ ${MAX_SEED}`);

/** One run as the builder describes it: a config without its seed, and the seeds to run it with. */
export const runDraftSchema = z.strictObject({
  config: runConfigSchema.omit({ seed: true }),
  seeds: z
    .array(seed)
    .min(1, "needs at least one seed")
    .max(MAX_SEEDS_PER_RUN, `must have at most ${MAX_SEEDS_PER_RUN} seeds`)
    .superRefine((seeds, ctx) => {
      seeds.forEach((s, i) => {
        if (seeds.indexOf(s) !== i) ctx.addIssue({ code: "custom", path: [i], message: `repeats seed ${s}` });
      });
    }),
  /**
   * "Tune lr": instead of these seeds, sweep n log-spaced lrs (seed: the first one) on the config's
   * validation split, then run the best lr with k seeds (server/queue/tunings.ts).
   */
  tune: tuneSettingsSchema.optional(),
});
export type RunDraft = z.output<typeof runDraftSchema>;

/** Runs a draft queues over its life: one per seed, or a tuning's whole sweep and its final runs. What quotas and caps count. */
export function draftRunCount(draft: { seeds: readonly unknown[]; tune?: { n?: number; k?: number } | undefined }): number {
  if (!draft.tune) return draft.seeds.length;
  return (draft.tune.n ?? DEFAULT_SWEEP_SIZE) + (draft.tune.k ?? DEFAULT_FINAL_SEEDS);
}
export type RunDraftInput = z.input<typeof runDraftSchema>;

export const comparisonMetaSchema = z.strictObject({
  title: textField({ max: 120, required: true }),
  description: textField({ max: 4000, multiline: true }).default(""),
  visibility: z.enum(VISIBILITIES, { error: `must be one of ${VISIBILITIES.join(", ")}` }),
});

/**
 * A request's drafts, checked against runDraftSchema one at a time with a turn of the event loop
 * between them: checking 32 drafts of 100 long formulas in one go held the loop for over 100 ms.
 * Asynchronous, so only for parseAsync (as tRPC parses inputs).
 */
function runDrafts(required?: string) {
  const list = z.array(z.custom<RunDraftInput>()).max(MAX_RUN_DRAFTS, `must have at most ${MAX_RUN_DRAFTS} runs`);
  return (required === undefined ? list : list.min(1, required)).transform(async (inputs: readonly unknown[], ctx) => {
    const drafts: RunDraft[] = [];
    for (const [i, input] of inputs.entries()) {
      if (i > 0) await yieldToEventLoop();
      // The draft's formulas in slices first: its synchronous parse below then finds them compiled.
      await compileAhead(formulaTexts((input as { config?: { schedule?: unknown } } | null | undefined)?.config?.schedule));
      const result = runDraftSchema.safeParse(input);
      if (result.success) drafts.push(result.data);
      else for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] });
    }
    return drafts;
  });
}

export const createComparisonSchema = comparisonMetaSchema.extend({
  runs: runDrafts("add at least one run"),
});

/** Share slugs: 10 characters of [0-9A-Za-z], see ./slug.ts. */
export const slugSchema = z.string().regex(/^[0-9A-Za-z]{10}$/, "must be a comparison link id (10 letters and digits)");

export const slugInput = z.strictObject({ slug: slugSchema });

export const updateComparisonSchema = comparisonMetaSchema.extend({
  slug: slugSchema,
  /** New runs to queue alongside the existing ones. */
  addRuns: runDrafts().default([]),
});

export const runIdInput = z.strictObject({ runId: uuid("a run id") });

export const browseInput = z
  .strictObject({
    page: z.number().refine(Number.isInteger, "must be an integer").min(1, "must be ≥ 1").max(10_000, "must be ≤ 10000").default(1),
  })
  .default({ page: 1 });
