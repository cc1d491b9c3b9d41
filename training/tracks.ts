/**
 * Leaderboard tracks. `full`: the whole training and test sets, any number of epochs. `budget`:
 * the first BUDGET.trainImages training images, at most BUDGET.maxEpochs epochs, the whole test
 * set — small enough to rank configurations in minutes without a GPU. A config is in at most one
 * track (rows never mix them); others (other limits, a validation split) are not ranked.
 */
import type { RunConfig } from "./config";

export const TRACKS = ["full", "budget"] as const;
export type Track = (typeof TRACKS)[number];

export const BUDGET = { trainImages: 10_000, maxEpochs: 10 } as const;

export const TRACK_LABELS: Record<Track, string> = {
  full: "Full data",
  budget: `Budget (${BUDGET.trainImages.toLocaleString("en")} images, ≤ ${BUDGET.maxEpochs} epochs)`,
};

export function trackOf(config: Pick<RunConfig, "trainLimit" | "testLimit" | "valSplit" | "epochs">): Track | null {
  if (config.testLimit !== undefined || config.valSplit !== undefined) return null;
  if (config.trainLimit === undefined) return "full";
  return config.trainLimit === BUDGET.trainImages && config.epochs <= BUDGET.maxEpochs ? "budget" : null;
}
