/** The public leaderboard: configs ranked over their public, full-dataset, finished runs. */
import { TRPCError } from "@trpc/server";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { leaderboardConfigs } from "../../../db/schema";
import { configRuns } from "../../leaderboard/config";
import { leaderboardInput, leaderboardPage, presentRow } from "../../leaderboard/query";
import { createTRPCRouter, publicProcedure } from "../trpc";

const configInput = z.strictObject({
  configHash: z.string().regex(/^[0-9a-f]{64}$/, "must be a config hash (64 hex digits)"),
  /** Which version's row; by default the most recently updated one. */
  trainerVersion: z.string().max(100, "must be at most 100 characters").optional(),
});

export const leaderboardRouter = createTRPCRouter({
  list: publicProcedure.input(leaderboardInput).query(({ ctx, input }) => leaderboardPage(ctx.db, input)),

  /** One row (one trainer version of a config) with the public runs behind it and their comparisons, and the config's other versions. */
  config: publicProcedure.input(configInput).query(async ({ ctx, input }) => {
    const rows = await ctx.db
      .select()
      .from(leaderboardConfigs)
      .where(eq(leaderboardConfigs.configHash, input.configHash))
      .orderBy(desc(leaderboardConfigs.updatedAt));
    const row = input.trainerVersion === undefined ? rows[0] : rows.find((r) => r.trainerVersion === input.trainerVersion);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No leaderboard entry has this config hash and trainer version." });
    return {
      row: presentRow(row, 70, []),
      config: row.config,
      runs: await configRuns(ctx.db, input.configHash, row.trainerVersion),
      versions: rows.map((r) => ({ trainerVersion: r.trainerVersion, n: r.n, meanAcc: r.meanAcc })),
    };
  }),
});
