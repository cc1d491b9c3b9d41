/**
 * A tuned comparison as its page shows it: each sweep point (lr against final validation
 * accuracy) and the tuned result, from the comparison's runs as the live page holds them. Pure.
 */
import { MAX_SEED, type RunConfig } from "../training/config";
import { ValidationError, type FieldIssue } from "../training/errors";
import { withLr } from "../training/tuning/sweep";
import { mean } from "./stats/stats";

const HALVING_STOP = "stopped by successive halving";

/** The error a sweep run stopped by successive halving carries. */
export function halvingStopReason(afterEpochs: number): string {
  return `${HALVING_STOP} after ${afterEpochs} epochs`;
}

export interface TuningRun {
  tuningId: string | null;
  tuningRole: "sweep" | "final" | null;
  config: { schedule: object; seed: number };
  status: string;
  epochsCompleted: number;
  finalValAcc: number | null;
  error: string | null;
}

export interface SweepPoint {
  lr: number;
  /** Validation accuracy after the last epoch it trained; null before its first epoch. */
  valAcc: number | null;
  epochs: number;
  status: string;
  stoppedByHalving: boolean;
}

export interface TuningSummary {
  sweep: SweepPoint[];
  /** Final runs queued, and the test accuracies of those that succeeded (trained without a split, their "val" is the test set). */
  final: { runs: number; seeds: number[]; testAccs: number[]; meanTestAcc: number | null };
}

export function summarizeTuning(tuningId: string, runs: readonly TuningRun[]): TuningSummary {
  const own = runs.filter((run) => run.tuningId === tuningId);
  const sweep = own
    .filter((run) => run.tuningRole === "sweep")
    .map((run) => ({
      lr: "lr" in run.config.schedule ? Number(run.config.schedule.lr) : Number.NaN,
      valAcc: run.finalValAcc,
      epochs: run.epochsCompleted,
      status: run.status,
      stoppedByHalving: run.status === "canceled" && (run.error ?? "").startsWith(HALVING_STOP),
    }))
    .sort((a, b) => a.lr - b.lr);
  const finals = own.filter((run) => run.tuningRole === "final");
  const done = finals.filter((run) => run.status === "succeeded" && run.finalValAcc !== null);
  const testAccs = done.map((run) => run.finalValAcc!);
  return {
    sweep,
    final: { runs: finals.length, seeds: done.map((run) => run.config.seed), testAccs, meanTestAcc: mean(testAccs) },
  };
}

/** A tuning's settings and decisions, as the comparison page receives them (server/api/present.ts). */
export interface TuningMeta {
  id: string;
  n: number;
  k: number;
  halving: boolean;
  epochs: number;
  lrRange: [number, number];
  /** Where the swept range came from: an LR range test of the config, or the default 1e-4 … 1. */
  rangeFrom: "lr-test" | "default";
  phase: "sweep" | "final" | "failed";
  selectedLr: number | null;
  error: string | null;
}

/**
 * What a draft marked "Tune lr" needs beyond a valid config (paths relative to the draft): a
 * validation split to choose on, one seed, room for the final runs' seeds, and a schedule with an
 * lr. The builder shows these while typing; the server refuses with them.
 */
export function tuneIssues(draft: { seeds: readonly number[]; tune?: { k?: number } | undefined }, config: RunConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (config.valSplit === undefined) {
    issues.push({
      path: "config.valSplit",
      message: "a tuned run needs a validation split: the lr is chosen on it, never on the test set",
    });
  }
  if (draft.seeds.length !== 1) {
    issues.push({ path: "seeds", message: "a tuned run takes one seed: the sweep's, and the first of its final runs" });
  }
  const k = draft.tune?.k ?? 1;
  if (config.seed + k - 1 > MAX_SEED)
    issues.push({ path: "seeds", message: `the final runs use seeds up to seed + ${k - 1}, which must be ≤ ${MAX_SEED}` });
  try {
    withLr(config.schedule, 1);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues.map((issue) => ({ path: `config.${issue.path}`, message: issue.message })));
  }
  return issues;
}
