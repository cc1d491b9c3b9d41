/**
 * Who may do what with a comparison, enforced here for every procedure (the UI only hides
 * buttons). Public and unlisted comparisons are readable by anyone with the link; private ones
 * only by their owner, and to everyone else they do not exist: NOT_FOUND, never FORBIDDEN, so a
 * private link reveals nothing. Changing anything is for the owner only.
 */
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { comparisons, runs, type Comparison, type Run } from "../../db/schema";
import type { SessionUser } from "./trpc";

export type Need = "read" | "owner";

export function comparisonNotFound(): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: "There is no comparison at this link." });
}

/** Throws unless `user` may `need` the comparison; NOT_FOUND whenever it may not even read it. */
export function checkAccess(comparison: Comparison, user: SessionUser | null, need: Need): void {
  const isOwner = user !== null && user.id === comparison.owner;
  if (!isOwner && comparison.visibility === "private") throw comparisonNotFound();
  if (need === "owner" && !isOwner) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only the owner can change this comparison." });
  }
}

export async function loadComparison(db: Db, slug: string, user: SessionUser | null, need: Need): Promise<Comparison> {
  const [comparison] = await db.select().from(comparisons).where(eq(comparisons.shareSlug, slug));
  if (!comparison) throw comparisonNotFound();
  checkAccess(comparison, user, need);
  return comparison;
}

/** A run and its comparison, under the comparison's rules. Runs outside any comparison (queued from the CLI) are not the web app's: NOT_FOUND. */
export async function loadRun(db: Db, runId: string, user: SessionUser | null, need: Need): Promise<{ run: Run; comparison: Comparison }> {
  const notFound = new TRPCError({ code: "NOT_FOUND", message: "There is no run with this id." });
  const [row] = await db.select().from(runs).innerJoin(comparisons, eq(runs.comparisonId, comparisons.id)).where(eq(runs.id, runId));
  if (!row) throw notFound;
  try {
    checkAccess(row.comparisons, user, need);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") throw notFound;
    throw error;
  }
  return { run: row.runs, comparison: row.comparisons };
}
