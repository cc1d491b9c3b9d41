/** LR range tests from the builder: queue one for a run draft, read it, cancel it. Owner only; to others a test does not exist. */
import { TRPCError } from "@trpc/server";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { lrTests } from "../../../db/schema";
import { lrTestIdInput, queueLrTestInput, type StoredLrTestResult } from "../../../lib/lrTests";
import { parseRunConfig } from "../../../training/config";
import { lrFindSettingsSchema } from "../../../training/lrFind/rangeTest";
import { lockOwner } from "../services/runs";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import type { Db } from "../../../db/client";

/** Queued or running tests per user: a test is a short job a user waits on, not a batch. */
export const MAX_ACTIVE_LR_TESTS = 3;

async function loadOwnTest(db: Db, testId: string, owner: string) {
  const [test] = await db
    .select()
    .from(lrTests)
    .where(and(eq(lrTests.id, testId), eq(lrTests.owner, owner)));
  if (!test) throw new TRPCError({ code: "NOT_FOUND", message: "There is no LR test with this id." });
  return test;
}

export const lrTestsRouter = createTRPCRouter({
  queue: protectedProcedure.input(queueLrTestInput).mutation(async ({ ctx, input }) => {
    const config = parseRunConfig(input.config);
    const settings = lrFindSettingsSchema.parse(input.settings ?? {});
    return ctx.db.transaction(async (tx) => {
      await lockOwner(tx, ctx.user.id);
      const [active] = await tx
        .select({ n: count() })
        .from(lrTests)
        .where(and(eq(lrTests.owner, ctx.user.id), inArray(lrTests.status, ["queued", "running"])));
      if ((active?.n ?? 0) >= MAX_ACTIVE_LR_TESTS) {
        throw new TRPCError({
          code: "TOO_MANY_REQUESTS",
          message: `You already have ${MAX_ACTIVE_LR_TESTS} LR tests queued or running; wait for one to finish, or cancel one.`,
        });
      }
      const [test] = await tx.insert(lrTests).values({ owner: ctx.user.id, config, settings }).returning({ id: lrTests.id });
      return { testId: test!.id };
    });
  }),

  get: protectedProcedure.input(lrTestIdInput).query(async ({ ctx, input }) => {
    const test = await loadOwnTest(ctx.db, input.testId, ctx.user.id);
    return {
      id: test.id,
      status: test.status,
      error: test.error,
      settings: lrFindSettingsSchema.parse(test.settings),
      result: test.result as StoredLrTestResult | null,
    };
  }),

  /** Its worker notices at the next heartbeat and stops within one batch. */
  cancel: protectedProcedure.input(lrTestIdInput).mutation(async ({ ctx, input }) => {
    const test = await loadOwnTest(ctx.db, input.testId, ctx.user.id);
    const canceled = await ctx.db
      .update(lrTests)
      .set({ status: "canceled", finishedAt: sql`now()`, leaseExpiresAt: null })
      .where(and(eq(lrTests.id, test.id), inArray(lrTests.status, ["queued", "running"])))
      .returning({ id: lrTests.id });
    if (canceled.length === 0) throw new TRPCError({ code: "CONFLICT", message: `This LR test has already finished (${test.status}).` });
    return { canceled: true };
  }),
});
