/** The runs behind one leaderboard row, a (config hash, trainer version) pair (its page lists them and links to their comparisons). */
import type { Db } from "../../db/client";
import { LEADERBOARD_TARGETS } from "../../lib/constants";
import { chooseOnePerSeed, eligibleRunsQuery, type EligibleRun } from "./refresh";

export async function configRuns(db: Pick<Db, "execute">, configHash: string, trainerVersion: string) {
  const { rows: all } = await db.execute<EligibleRun & Record<string, unknown>>(eligibleRunsQuery([configHash]));
  const rows = all.filter((r) => r.trainer_version === trainerVersion);
  const counted = new Set(chooseOnePerSeed(rows).map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    seed: Number(r.seed),
    status: r.status,
    counted: counted.has(r.id),
    reused: r.reused,
    finalValAcc: r.final_val_acc,
    bestValAcc: r.best_val_acc,
    trainSeconds: r.train_seconds,
    backend: r.backend,
    epochsToTarget: Object.fromEntries(LEADERBOARD_TARGETS.map((t, i) => [t, r.epochs_to_target?.[i] ?? null])),
    comparison: { slug: r.share_slug, title: r.title },
  }));
}
