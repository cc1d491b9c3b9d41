/**
 * A tuned comparison as its page shows it: each sweep point (lr against final validation
 * accuracy) and the tuned result, from the comparison's runs as the live page holds them. Pure.
 */
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
