/** One run: read it, cancel it, queue it again (owner only for changes). */
import { TRPCError } from "@trpc/server";
import { asc, eq, sql } from "drizzle-orm";
import { epochMetrics, runs } from "../../../db/schema";
import { loadRun } from "../access";
import { metricColumns, presentComparison, presentRuns } from "../present";
import { runIdInput } from "../../../lib/schemas";
import { z } from "zod";
import { cancelRun } from "../../queue/service";
import { checkQueueQuota, lockedRunCount, queueRuns } from "../services/runs";
import { requeueRun } from "../../queue/transitions";
import { refreshLeaderboard, STATICALLY_ELIGIBLE } from "../../leaderboard/refresh";
import { checkRunCount } from "../drafts";
import { storedConfig } from "../present";
import { MAX_SEED } from "../../../training/config";
import { uuid } from "../../../training/validation";
import { randomInt } from "node:crypto";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

/** runs.addSeeds: the same config with `count` new seeds. */
export const MAX_ADD_SEEDS = 10;
const addSeedsInput = z.strictObject({
  runId: uuid("a run id"),
  count: z
    .number()
    .refine(Number.isInteger, "must be an integer")
    .min(1, "must be ≥ 1")
    .max(MAX_ADD_SEEDS, `must be ≤ ${MAX_ADD_SEEDS}`)
    .default(2),
});

export const runsRouter = createTRPCRouter({
  get: publicProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const { run, comparison } = await loadRun(ctx.db, input.runId, ctx.user, "read");
    // Labels are numbered within the comparison, so present the run among its siblings.
    const siblings = await ctx.db
      .select()
      .from(runs)
      .where(eq(runs.comparisonId, comparison.id))
      .orderBy(asc(runs.createdAt), asc(runs.id));
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
    if (run.kind === "preview") {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "runId: a browser preview cannot be re-run by a worker; use “Preview in browser” or queue it as a full run.",
      });
    }
    if (run.tuningId) {
      // Its tuning has already used (or dropped) this run's result; a fresh one would change nothing it decided.
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "runId: a tuned comparison's run cannot be re-run on its own; tune again instead.",
      });
    }
    return ctx.db.transaction(async (tx) => {
      await checkQueueQuota(tx, ctx.user.id, 1, ctx.limits);
      if (!(await requeueRun(tx, run.id))) {
        throw new TRPCError({ code: "CONFLICT", message: `This run is still ${run.status}; cancel it first.` });
      }
      // A finished run that counted on the leaderboard no longer does until it finishes again.
      const [eligible] = (
        await tx.execute<{ eligible: boolean }>(sql`select ${STATICALLY_ELIGIBLE} as eligible from runs where id = ${run.id}::uuid`)
      ).rows;
      if (eligible?.eligible) await refreshLeaderboard(tx, [run.configHash]);
      return { queued: true };
    });
  }),

  /**
   * Queues the run's config again with `count` seeds that no run of this config has used yet
   * (a reused seed would only copy an earlier result), so its leaderboard row gains samples.
   */
  addSeeds: protectedProcedure.input(addSeedsInput).mutation(async ({ ctx, input }) => {
    const { run, comparison } = await loadRun(ctx.db, input.runId, ctx.user, "owner");
    if (run.kind !== "full") {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "runId: a browser preview cannot be queued with more seeds; queue the config as a full run first.",
      });
    }
    const config = storedConfig(run);
    return ctx.db.transaction(async (tx) => {
      await checkQueueQuota(tx, ctx.user.id, input.count, ctx.limits);
      checkRunCount(await lockedRunCount(tx, comparison.id), input.count, ctx.limits, "count");
      const used = new Set((await tx.select({ seed: runs.seed }).from(runs).where(eq(runs.configHash, run.configHash))).map((r) => r.seed));
      const seeds: number[] = [];
      while (seeds.length < input.count) {
        // Uniform over the whole seed range; a collision with a used seed is simply drawn again.
        const seed = randomInt(0, MAX_SEED + 1);
        if (!used.has(seed)) {
          used.add(seed);
          seeds.push(seed);
        }
      }
      const added = await queueRuns(tx, {
        owner: ctx.user.id,
        comparisonId: comparison.id,
        configs: seeds.map((seed) => ({ ...config, seed })),
      });
      return { runIds: added.map((r) => r.id), seeds };
    });
  }),
});
