/** The public leaderboard: configs ranked over their public, full-dataset, finished runs. */
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { leaderboardConfigs } from "../../../db/schema";
import { configRuns } from "../../leaderboard/config";
import { leaderboardInput, leaderboardPage, presentRow } from "../../leaderboard/query";
import { createTRPCRouter, publicProcedure } from "../trpc";

const configInput = z.strictObject({ configHash: z.string().regex(/^[0-9a-f]{64}$/, "must be a config hash (64 hex digits)") });

export const leaderboardRouter = createTRPCRouter({
  list: publicProcedure.input(leaderboardInput).query(({ ctx, input }) => leaderboardPage(ctx.db, input)),

  /** One row with the public runs behind it and their comparisons. */
  config: publicProcedure.input(configInput).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select().from(leaderboardConfigs).where(eq(leaderboardConfigs.configHash, input.configHash));
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No leaderboard entry has this config hash." });
    return { row: presentRow(row, 70, null), config: row.config, runs: await configRuns(ctx.db, input.configHash) };
  }),
});
