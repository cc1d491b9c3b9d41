/** Comparisons: create and edit (owner), read by link, list one's own and the public ones, fork, delete. */
import type { Visibility } from "../../../lib/constants";
import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { user } from "../../../db/schema";
import type { Db } from "../../../db/client";
import { comparisons, runs, tunings } from "../../../db/schema";
import { parseRunConfig, type RunConfig } from "../../../training/config";
import { ValidationError } from "../../../training/errors";
import { loadComparison } from "../access";
import { checkRunCount, expandDrafts, seedCount, type ExpandedDrafts } from "../drafts";
import { insertTuning, sweepRange, type SweepRange } from "../../queue/tunings";
import { tuneIssues } from "../../../lib/tunings";
import { epochLimitIssue, type Limits } from "../../../lib/limits";
import { presentComparison, presentRuns, presentTunings, storedConfig } from "../present";
import { browseInput, createComparisonSchema, slugInput, updateComparisonSchema } from "../../../lib/schemas";
import { cancelComparisonRuns, checkQueueQuota, checkQueueRoom, lockedRunCount, queueRuns } from "../services/runs";
import { yieldToEventLoop } from "../../../training/trainer/yieldToEventLoop";
import { configHashesOf, refreshLeaderboard } from "../../leaderboard/refresh";
import { newSlug } from "../slug";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export const BROWSE_PAGE_SIZE = 20;

/** Queues the plain drafts' runs and starts each tuned draft's sweep, in the caller's transaction. */
async function queueDrafts(tx: Tx, owner: string, comparisonId: string, drafts: ExpandedDrafts): Promise<void> {
  await queueRuns(tx, { owner, comparisonId, configs: drafts.configs });
  for (const { base, settings } of drafts.tuned) {
    await insertTuning(tx, { owner, comparisonId, base, settings, range: await sweepRange(tx, owner, base) });
  }
}

async function insertComparison(
  tx: Tx,
  owner: string,
  meta: { title: string; description: string; visibility: Visibility },
): Promise<{ id: string; shareSlug: string }> {
  // A slug collision (59 random bits) is all but impossible; retrying would need a savepoint.
  const [row] = await tx
    .insert(comparisons)
    .values({ owner, ...meta, shareSlug: newSlug() })
    .returning({ id: comparisons.id, shareSlug: comparisons.shareSlug });
  return row!;
}

/** Re-validates copied configs against this server's limits, then today's rules (fork). */
async function revalidate(configs: readonly RunConfig[], limits: Limits): Promise<RunConfig[]> {
  configs.forEach((config, i) => {
    const issue = epochLimitIssue(config.epochs, limits, `runs[${i}].config.epochs`);
    if (issue) throw new ValidationError([issue]);
  });
  const valid: RunConfig[] = [];
  for (const config of configs) {
    if (valid.length > 0) await yieldToEventLoop(); // each check is bounded; other requests run between them
    valid.push(parseRunConfig(config));
  }
  return valid;
}

export const comparisonsRouter = createTRPCRouter({
  create: protectedProcedure.input(createComparisonSchema).mutation(async ({ ctx, input }) => {
    // A tuned draft counts every run it will queue: its sweep and its final seeds.
    const total = seedCount(input.runs);
    checkRunCount(0, total, ctx.limits);
    await checkQueueRoom(ctx.db, ctx.user.id, total, ctx.limits);
    const drafts = await expandDrafts(input.runs, ctx.limits);
    const { runs: _drafts, ...meta } = input;
    return ctx.db.transaction(async (tx) => {
      await checkQueueQuota(tx, ctx.user.id, total, ctx.limits);
      const comparison = await insertComparison(tx, ctx.user.id, meta);
      await queueDrafts(tx, ctx.user.id, comparison.id, drafts);
      return { slug: comparison.shareSlug };
    });
  }),

  /** Title, description and visibility; `addRuns` queues more runs. Existing runs stay as they are. */
  update: protectedProcedure.input(updateComparisonSchema).mutation(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "owner");
    const adding = seedCount(input.addRuns);
    if (adding > 0) {
      // Early refusals before any validation; the counts that hold are taken again under locks below.
      const [existing] = await ctx.db.select({ n: count() }).from(runs).where(eq(runs.comparisonId, comparison.id));
      checkRunCount(existing?.n ?? 0, adding, ctx.limits, "addRuns");
      await checkQueueRoom(ctx.db, ctx.user.id, adding, ctx.limits);
    }
    const drafts = await expandDrafts(input.addRuns, ctx.limits, "addRuns");
    return ctx.db.transaction(async (tx) => {
      if (adding > 0) {
        await checkQueueQuota(tx, ctx.user.id, adding, ctx.limits);
        checkRunCount(await lockedRunCount(tx, comparison.id), adding, ctx.limits, "addRuns");
      }
      await tx
        .update(comparisons)
        .set({ title: input.title, description: input.description, visibility: input.visibility })
        .where(eq(comparisons.id, comparison.id));
      // Public or not decides whether its finished runs count on the leaderboard.
      if (input.visibility !== comparison.visibility) await refreshLeaderboard(tx, await configHashesOf(tx, comparison.id));
      await queueDrafts(tx, ctx.user.id, comparison.id, drafts);
      return { slug: comparison.shareSlug };
    });
  }),

  bySlug: publicProcedure.input(slugInput).query(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "read");
    const [owner] = await ctx.db.select({ name: user.name }).from(user).where(eq(user.id, comparison.owner));
    const rows = await ctx.db.select().from(runs).where(eq(runs.comparisonId, comparison.id)).orderBy(asc(runs.createdAt), asc(runs.id));
    const tuningRows = await ctx.db
      .select()
      .from(tunings)
      .where(eq(tunings.comparisonId, comparison.id))
      .orderBy(asc(tunings.createdAt), asc(tunings.id));
    return {
      ...presentComparison(comparison, owner?.name ?? null, ctx.user?.id ?? null),
      runs: presentRuns(rows),
      tunings: presentTunings(tuningRows),
    };
  }),

  mine: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.select().from(comparisons).where(eq(comparisons.owner, ctx.user.id)).orderBy(desc(comparisons.createdAt));
    const counts = await statusCounts(
      ctx.db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({ ...presentComparison(row, ctx.user.name, ctx.user.id), runs: counts.get(row.id) ?? emptyCounts() }));
  }),

  /** Public comparisons, newest first. Unlisted and private ones never appear here. */
  browse: publicProcedure.input(browseInput).query(async ({ ctx, input }) => {
    const isPublic = eq(comparisons.visibility, "public");
    const [total] = await ctx.db.select({ n: count() }).from(comparisons).where(isPublic);
    const rows = await ctx.db
      .select({ comparison: comparisons, ownerName: user.name })
      .from(comparisons)
      .leftJoin(user, eq(user.id, comparisons.owner))
      .where(isPublic)
      .orderBy(desc(comparisons.createdAt), desc(comparisons.id))
      .limit(BROWSE_PAGE_SIZE)
      .offset((input.page - 1) * BROWSE_PAGE_SIZE);
    const counts = await statusCounts(
      ctx.db,
      rows.map((row) => row.comparison.id),
    );
    return {
      page: input.page,
      pages: Math.max(1, Math.ceil((total?.n ?? 0) / BROWSE_PAGE_SIZE)),
      items: rows.map(({ comparison, ownerName }) => ({
        ...presentComparison(comparison, ownerName, ctx.user?.id ?? null),
        runs: counts.get(comparison.id) ?? emptyCounts(),
      })),
    };
  }),

  /** Copies a readable comparison into the viewer's account (private), queueing its runs afresh. */
  fork: protectedProcedure.input(slugInput).mutation(async ({ ctx, input }) => {
    const source = await loadComparison(ctx.db, input.slug, ctx.user, "read");
    const rows = await ctx.db.select().from(runs).where(eq(runs.comparisonId, source.id)).orderBy(asc(runs.createdAt), asc(runs.id));
    // Browser preview results stay with the original, and so do a tuning's runs: the fork queues the
    // full runs and starts each tuning afresh (its base config, n, k, halving and lr range).
    const copied = rows.filter((row) => row.kind === "full" && row.tuningId === null).map(storedConfig);
    const sourceTunings = await ctx.db
      .select()
      .from(tunings)
      .where(eq(tunings.comparisonId, source.id))
      .orderBy(asc(tunings.createdAt), asc(tunings.id));
    const total = copied.length + sourceTunings.reduce((sum, tuning) => sum + tuning.n + tuning.k, 0);
    checkRunCount(0, total, ctx.limits);
    await checkQueueRoom(ctx.db, ctx.user.id, total, ctx.limits);
    const configs = await revalidate(
      [...copied, ...sourceTunings.map((tuning) => storedConfig({ config: tuning.baseConfig }))],
      ctx.limits,
    );
    const tuned = sourceTunings.map((tuning, i) => {
      const base = configs[copied.length + i]!;
      const issues = tuneIssues({ seeds: [base.seed], tune: { k: tuning.k } }, base);
      if (issues.length > 0)
        throw new ValidationError(issues.map((issue) => ({ ...issue, path: `runs[${copied.length + i}].${issue.path}` })));
      const range: SweepRange = { range: [tuning.lrLow, tuning.lrHigh], lrTestId: tuning.lrTestId };
      return { base, settings: { n: tuning.n, k: tuning.k, halving: tuning.halving }, range };
    });
    return ctx.db.transaction(async (tx) => {
      await checkQueueQuota(tx, ctx.user.id, total, ctx.limits);
      const title = source.title.length > 113 ? source.title.slice(0, 113) : source.title;
      const comparison = await insertComparison(tx, ctx.user.id, {
        title: `${title} (fork)`,
        description: source.description,
        visibility: "private",
      });
      await queueRuns(tx, { owner: ctx.user.id, comparisonId: comparison.id, configs: configs.slice(0, copied.length) });
      for (const tuning of tuned) await insertTuning(tx, { owner: ctx.user.id, comparisonId: comparison.id, ...tuning });
      return { slug: comparison.shareSlug };
    });
  }),

  delete: protectedProcedure.input(slugInput).mutation(async ({ ctx, input }) => {
    const comparison = await loadComparison(ctx.db, input.slug, ctx.user, "owner");
    await ctx.db.transaction(async (tx) => {
      // Cancel first, so a worker training one of these stops at its next heartbeat.
      await cancelComparisonRuns(tx, comparison.id);
      const hashes = await configHashesOf(tx, comparison.id);
      await tx.delete(comparisons).where(eq(comparisons.id, comparison.id));
      await refreshLeaderboard(tx, hashes); // its runs went with it
    });
    return { deleted: true };
  }),
});

type StatusCounts = { total: number; queued: number; running: number; done: number };
const emptyCounts = (): StatusCounts => ({ total: 0, queued: 0, running: 0, done: 0 });

async function statusCounts(db: Db, ids: string[]): Promise<Map<string, StatusCounts>> {
  const out = new Map<string, StatusCounts>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ id: runs.comparisonId, status: runs.status, n: count() })
    .from(runs)
    .where(and(inArray(runs.comparisonId, ids)))
    .groupBy(runs.comparisonId, runs.status);
  for (const row of rows) {
    if (!row.id) continue;
    const counts = out.get(row.id) ?? emptyCounts();
    counts.total += row.n;
    if (row.status === "queued") counts.queued += row.n;
    else if (row.status === "running") counts.running += row.n;
    else counts.done += row.n;
    out.set(row.id, counts);
  }
  return out;
}
