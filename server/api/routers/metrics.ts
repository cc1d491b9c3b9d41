/** Per-epoch metrics and per-step curves of a comparison's runs, for the overlaid charts (polled while runs train). */
import { asc, eq, inArray } from "drizzle-orm";
import { epochMetrics, runs, type EpochMetricsRow } from "../../../db/schema";
import { loadEpochLrRanges } from "../../queue/stepCurves";
import { loadComparison } from "../access";
import { readLiveSince, sinceInput } from "../liveSince";
import { readStepsSince, stepsSinceInput } from "../stepsSince";
import { metricColumns, type MetricColumns } from "../present";
import { slugInput } from "../../../lib/schemas";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const metricsRouter = createTRPCRouter({
  forComparison: publicProcedure.input(slugInput).query(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "read");
    const ids = (await ctx.db.select({ id: runs.id }).from(runs).where(eq(runs.comparisonId, comparison.id))).map((r) => r.id);
    const rows =
      ids.length === 0
        ? []
        : await ctx.db
            .select()
            .from(epochMetrics)
            .where(inArray(epochMetrics.runId, ids))
            .orderBy(asc(epochMetrics.runId), asc(epochMetrics.epoch));
    const byRun = new Map<string, EpochMetricsRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) byRun.get(row.runId)?.push(row);
    const out: Record<string, MetricColumns> = {};
    for (const [id, list] of byRun) out[id] = metricColumns(list);
    const ranges = await loadEpochLrRanges(ctx.db, Object.fromEntries(Object.entries(out).map(([id, c]) => [id, c.epoch])));
    return Object.fromEntries(Object.entries(out).map(([id, c]) => [id, { ...c, ...ranges[id]! }]));
  }),

  /** The live page's one poll: run states plus only the epoch rows newer than the cursor, in one snapshot (server/api/liveSince.ts). */
  since: publicProcedure.input(sinceInput).query(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "read");
    return readLiveSince(ctx.db, comparison, input.cursor);
  }),

  /**
   * Each run's downsampled per-step lr and training loss (the "step" x axis), fetched only when
   * shown: only the rows past the cursor, polled like `since` while runs train (server/api/stepsSince.ts).
   */
  stepsSince: publicProcedure.input(stepsSinceInput).query(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "read");
    return readStepsSince(ctx.db, comparison, input.cursor);
  }),
});
