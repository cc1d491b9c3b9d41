/** One run: read it, cancel it, queue it again (owner only for changes). */
import { TRPCError } from "@trpc/server";
import { asc, eq, sql } from "drizzle-orm";
import { epochMetrics, runs } from "../../../db/schema";
import { loadRun } from "../access";
import { metricColumns, presentComparison, presentRuns } from "../present";
import { runIdInput } from "../schemas";
import { cancelRun } from "../../queue/service";
import { countQueuedRuns, requeueRun } from "../services/runs";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const runsRouter = createTRPCRouter({
  get: publicProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const { run, comparison } = await loadRun(ctx.db, input.runId, ctx.user, "read");
    // Labels are numbered within the comparison, so present the run among its siblings.
    const siblings = await ctx.db.select().from(runs).where(eq(runs.comparisonId, comparison.id)).orderBy(asc(runs.createdAt), asc(runs.id));
    const presented = presentRuns(siblings).find((r) => r.id === run.id)!;
    const rows = await ctx.db.select().from(epochMetrics).where(eq(epochMetrics.runId, run.id)).orderBy(asc(epochMetrics.epoch));
    return {
      comparison: presentComparison(comparison, null, ctx.user?.id ?? null),
      run: presented,
      metrics: metricColumns(rows),
    };
  }),

  cancel: protectedProcedure.input(runIdInput).mutation(async ({ ctx, input }) => {
    const { run } = await loadRun(ctx.db, input.runId, ctx.user, "owner");
    if (!(await cancelRun(ctx.db, run.id)).canceled) {
      throw new TRPCError({ code: "CONFLICT", message: `This run has already finished (${run.status}).` });
    }
    return { canceled: true };
  }),

  /** Queues a finished run again from scratch (same config and seed). */
  rerun: protectedProcedure.input(runIdInput).mutation(async ({ ctx, input }) => {
    const { run } = await loadRun(ctx.db, input.runId, ctx.user, "owner");
    return ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${ctx.user.id}, 0))`);
      const queued = await countQueuedRuns(tx, ctx.user.id);
      if (queued + 1 > ctx.limits.maxQueuedRuns) {
        throw new TRPCError({
          code: "TOO_MANY_REQUESTS",
          message: `You already have ${queued} queued runs, the limit per user. Wait for some to start, or cancel some.`,
        });
      }
      if (!(await requeueRun(tx, run.id))) {
        throw new TRPCError({ code: "CONFLICT", message: `This run is still ${run.status}; cancel it first.` });
      }
      return { queued: true };
    });
  }),
});

