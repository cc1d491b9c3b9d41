/**
 * Browser previews of a comparison's configs: attach a finished preview as a *preview result*
 * (a run row of kind 'preview', succeeded, with its epoch rows; never queued, never ranked), or
 * turn a previewed config into a full run (the same config without the subset limits, queued).
 * Owner only; private comparisons of others are NOT_FOUND, as everywhere.
 */
import { TRPCError } from "@trpc/server";
import { and, count, eq } from "drizzle-orm";
import { z } from "zod";
import { epochMetrics, runs } from "../../../db/schema";
import { checkRunSchedule, runConfigSchema } from "../../../training/config";
import { parseOrThrow, ValidationError } from "../../../training/errors";
import { epochMetricsSchema } from "../../../training/metrics";
import { textField } from "../../../training/text";
import { fullRunConfig, PREVIEW_MAX } from "../../../training/preview/config";
import { insertRuns, refreshSummary } from "../../queue/transitions";
import { epochLimitIssue } from "../../../lib/limits";
import { loadComparison } from "../access";
import { checkRunCount } from "../drafts";
import { slugSchema } from "../../../lib/schemas";
import { checkQueueQuota, checkQueueRoom, lockedRunCount, lockOwner, queueRuns } from "../services/runs";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** Preview results one comparison may hold. */
export const MAX_PREVIEWS_PER_COMPARISON = 20;

export const attachPreviewInput = z.strictObject({
  slug: slugSchema,
  /** The config the browser trained, subset limits included; checked by parseRunConfig. */
  config: z.unknown(),
  metrics: z
    .array(epochMetricsSchema)
    .min(1, "needs at least one epoch")
    .max(PREVIEW_MAX.epochs, `must have at most ${PREVIEW_MAX.epochs} epochs`),
  /** The tfjs backend it ran on, as the page showed it ("webgl (WebGL 2)", "cpu (plain JS)"). */
  backend: textField({ max: 120, required: true }),
});

export const fullRunInput = z.strictObject({
  slug: slugSchema,
  config: z.unknown(),
  /** Epochs of the full run (the run's own, rather than the preview's few); default: the config's. */
  epochs: z.number().int("must be an integer").min(1, "must be ≥ 1").optional(),
});

/** A config check with the issues' paths under `config.` (they land on the right field). */
function underConfig<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.issues.map((issue) => ({ path: issue.path ? `config.${issue.path}` : "config", message: issue.message })),
    );
  }
}

export const previewsRouter = createTRPCRouter({
  attach: protectedProcedure.input(attachPreviewInput).mutation(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "owner");
    // The schema first, then the cheap checks, and only then the schedule is evaluated.
    const config = underConfig(() => parseOrThrow(runConfigSchema, input.config));
    const issues = [];
    if (config.trainLimit === undefined)
      issues.push({ path: "config.trainLimit", message: "is required for a preview (its training subset)" });
    if (config.testLimit === undefined) issues.push({ path: "config.testLimit", message: "is required for a preview (its test subset)" });
    if (config.epochs > PREVIEW_MAX.epochs)
      issues.push({ path: "config.epochs", message: `must be ≤ ${PREVIEW_MAX.epochs} for a preview` });
    const epochs = input.metrics.map((m) => m.epoch);
    if (input.metrics.length !== config.epochs || epochs.some((epoch, i) => epoch !== i)) {
      issues.push({
        path: "metrics",
        message: `must hold epochs 0 to ${config.epochs - 1} in order (a finished preview), got [${epochs.slice(0, 60).join(", ")}]`,
      });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    underConfig(() => checkRunSchedule(config));

    return ctx.db.transaction(async (tx) => {
      // One owner's attaches in turn, so two tabs cannot both slip under the cap.
      await lockOwner(tx, ctx.user.id);
      const [existing] = await tx
        .select({ n: count() })
        .from(runs)
        .where(and(eq(runs.comparisonId, comparison.id), eq(runs.kind, "preview")));
      if ((existing?.n ?? 0) >= MAX_PREVIEWS_PER_COMPARISON) {
        throw new TRPCError({
          code: "TOO_MANY_REQUESTS",
          message: `This comparison already holds ${MAX_PREVIEWS_PER_COMPARISON} preview results, the limit.`,
        });
      }
      const seconds = input.metrics.reduce((sum, m) => sum + m.seconds, 0);
      const finishedAt = new Date();
      const [run] = await insertRuns(tx, [
        {
          comparisonId: comparison.id,
          owner: ctx.user.id,
          config,
          kind: "preview",
          status: "succeeded",
          backend: `browser ${input.backend}`,
          startedAt: new Date(finishedAt.getTime() - Math.round(seconds * 1000)),
          finishedAt,
        },
      ]);
      await tx.insert(epochMetrics).values(input.metrics.map((m) => ({ ...m, runId: run!.id })));
      await refreshSummary(tx, run!.id);
      return { runId: run!.id };
    });
  }),

  /** Queues the previewed config on the whole dataset (no subset limits) into the comparison. */
  toFullRun: protectedProcedure.input(fullRunInput).mutation(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "owner");
    const previewed = underConfig(() => parseOrThrow(runConfigSchema, input.config));
    const epochs = input.epochs ?? previewed.epochs;
    const tooLong = epochLimitIssue(epochs, ctx.limits, "epochs");
    if (tooLong) throw new ValidationError([tooLong]);
    // Early refusals before the schedule is evaluated; the counts that hold are taken again under locks below.
    const [existing] = await ctx.db
      .select({ n: count() })
      .from(runs)
      .where(and(eq(runs.comparisonId, comparison.id), eq(runs.kind, "full")));
    checkRunCount(existing?.n ?? 0, 1, ctx.limits);
    await checkQueueRoom(ctx.db, ctx.user.id, 1, ctx.limits);
    const config = fullRunConfig(previewed, epochs);
    return ctx.db.transaction(async (tx) => {
      await checkQueueQuota(tx, ctx.user.id, 1, ctx.limits);
      checkRunCount(await lockedRunCount(tx, comparison.id, "full"), 1, ctx.limits);
      const [run] = await queueRuns(tx, { owner: ctx.user.id, comparisonId: comparison.id, configs: [config] });
      return { runId: run!.id };
    });
  }),
});
