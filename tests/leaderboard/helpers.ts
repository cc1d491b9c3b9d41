/** Runs driven through the real queue with made-up epochs, for the leaderboard tests. */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { comparisons, leaderboardConfigs, type Run } from "../../db/schema";
import { newSlug } from "../../server/api/slug";
import { createPgRunQueue } from "../../server/queue/pgRunQueue";
import { submitRun } from "../../server/queue/service";
import type { RunConfigInput } from "../../training/config";
import type { Finish } from "../../training/worker/queue";

/** The trainer version the test workers claim with (a made-up one: the tests never train). */
export const TEST_VERSION = "cpu-0123456789ab";

/** A config with no train/test limit: eligible for the leaderboard. */
export function fullConfig(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    model: "tiny-cnn",
    epochs: 3,
    batchSize: 32,
    optimizer: { kind: "sgd" },
    schedule: { kind: "constant", lr: 0.01 },
    ...overrides,
  };
}

export async function makeComparison(
  db: Db,
  owner: string,
  visibility: "public" | "unlisted" | "private",
  title = `${visibility} comparison`,
) {
  const [row] = await db.insert(comparisons).values({ owner, title, visibility, shareSlug: newSlug() }).returning();
  return row!;
}

/**
 * Queues a run, claims it, records one epoch per entry of `valAccs` (1.5 s each), and finishes it.
 * Needs no other queued run to be older (the claim takes the oldest).
 */
export async function finishRun(
  db: Db,
  opts: { config: RunConfigInput; comparisonId?: string; valAccs: number[]; outcome?: Finish; backend?: string; trainerVersion?: string },
): Promise<Run> {
  const run = await submitRun(db, { config: opts.config, ...(opts.comparisonId ? { comparisonId: opts.comparisonId } : {}) });
  const queue = createPgRunQueue(db);
  const claimed = await queue.claim({
    workerId: "test-worker",
    backend: opts.backend ?? "cpu",
    trainerVersion: opts.trainerVersion ?? TEST_VERSION,
    leaseMs: 30_000,
  });
  if (claimed?.lease.runId !== run.id) throw new Error(`claimed ${claimed?.lease.runId ?? "nothing"}, not ${run.id}`);
  for (const [epoch, valAcc] of opts.valAccs.entries()) {
    const state = await queue.recordEpoch(
      claimed.lease,
      { epoch, lr: 0.01, loss: 1, acc: valAcc, valLoss: 1, valAcc, seconds: 1.5, imagesPerSec: 100 },
      new Uint8Array(4),
      30_000,
    );
    if (state !== "held") throw new Error(`lost the lease: ${state}`);
  }
  await queue.finish(claimed.lease, opts.outcome ?? { status: "succeeded" });
  return run;
}

export async function boardRow(db: Db, configHash: string) {
  const [row] = await db.select().from(leaderboardConfigs).where(eq(leaderboardConfigs.configHash, configHash));
  return row ?? null;
}
