/**
 * A tuned comparison, DeepOBS's protocol: sweep the learning rate (log-spaced, one seed each) on
 * the validation split, optionally with successive halving; pick the best final validation
 * accuracy; re-run it with k seeds and report test accuracy. Selection runs never read the test
 * set (the trainer is told not to), so the choice cannot be fitted to it.
 */
import { parseRunConfig, type RunConfig } from "../config";
import type { Split } from "../data/split";
import type { TrainOptions, TrainResult } from "../trainer/types";
import { best as bestOf, halvingRungs, survivors } from "./halving";
import { DEFAULT_FINAL_SEEDS, DEFAULT_LR_RANGE, DEFAULT_SWEEP_SIZE, logSpaced, withLr } from "./sweep";

export interface TuneOptions {
  /** Learning rates tried (default 8). */
  n?: number;
  /** Seeds the chosen lr is re-run with (default 3). */
  k?: number;
  halving?: boolean;
  /** The range swept; the hook for an LR range test's result. Default 1e-4 … 1. */
  lrRange?: readonly [number, number];
}

export type TuneEvent =
  | { phase: "sweep"; lr: number; epoch: number; valAcc: number }
  | { phase: "stopped"; lr: number; afterEpochs: number; valAcc: number }
  | { phase: "diverged"; lr: number; reason: string }
  | { phase: "selected"; lr: number; valAcc: number }
  | { phase: "final"; lr: number; seed: number; testAcc: number | null; outcome: TrainResult["outcome"] };

export interface Candidate {
  lr: number;
  /** Validation accuracy after the last epoch it trained; NaN when it diverged first. */
  valAcc: number;
  epochs: number;
  outcome: "completed" | "stopped" | "diverged";
}

export interface TuneResult {
  sweep: Candidate[];
  lr: number;
  /** Final test accuracy of each seed that succeeded. */
  final: { seed: number; testAcc: number }[];
}

export interface TuneDeps {
  train: (options: TrainOptions) => Promise<TrainResult>;
  data: { train: Split; test: Split };
  onEvent?: (event: TuneEvent) => void;
}

export async function tuneLr(base: RunConfig, options: TuneOptions, deps: TuneDeps): Promise<TuneResult> {
  if (base.valSplit === undefined) throw new Error("valSplit: a tuned comparison needs a validation split");
  const lrs = logSpaced(options.n ?? DEFAULT_SWEEP_SIZE, options.lrRange ?? DEFAULT_LR_RANGE);
  const configs = lrs.map((lr) => parseRunConfig({ ...base, schedule: withLr(base.schedule, lr) }));
  const emit = deps.onEvent ?? (() => {});
  const state = lrs.map((lr): Candidate & { checkpoint?: Uint8Array } => ({ lr, valAcc: Number.NaN, epochs: 0, outcome: "completed" }));
  let alive = state.map((_, i) => i);
  const stops = [...(options.halving ? halvingRungs(base.epochs) : []), base.epochs];
  for (const until of stops) {
    for (const i of alive) {
      const candidate = state[i]!;
      const controller = new AbortController();
      const result = await deps.train({
        config: configs[i]!,
        data: deps.data,
        evaluateTest: false,
        signal: controller.signal,
        ...(candidate.checkpoint ? { resume: candidate.checkpoint } : {}),
        onEpoch: ({ metrics }) => {
          candidate.valAcc = metrics.valAcc;
          candidate.epochs = metrics.epoch + 1;
          emit({ phase: "sweep", lr: candidate.lr, epoch: metrics.epoch, valAcc: metrics.valAcc });
          // Pause at the rung: the trainer stops before the next batch and hands back a checkpoint there.
          if (metrics.epoch + 1 === until && until < base.epochs) controller.abort();
        },
      });
      if (result.outcome === "diverged") {
        Object.assign(candidate, { outcome: "diverged", valAcc: Number.NaN });
        emit({ phase: "diverged", lr: candidate.lr, reason: result.reason ?? "diverged" });
      } else if (result.outcome === "aborted") candidate.checkpoint = result.checkpoint;
    }
    alive = alive.filter((i) => state[i]!.outcome !== "diverged");
    if (until === base.epochs) break;
    const { keep, stop } = survivors(alive.map((index) => ({ index, valAcc: state[index]!.valAcc })));
    for (const i of stop) {
      const candidate = state[i]!;
      candidate.outcome = "stopped";
      delete candidate.checkpoint;
      emit({ phase: "stopped", lr: candidate.lr, afterEpochs: until, valAcc: candidate.valAcc });
    }
    alive = keep.sort((a, b) => a - b);
  }
  const finished = alive.filter((i) => state[i]!.epochs === base.epochs);
  if (finished.length === 0) throw new Error("every learning rate of the sweep diverged");
  const best = bestOf(finished.map((index) => ({ index, valAcc: state[index]!.valAcc }))) ?? finished[0]!;
  const winner = state[best]!;
  emit({ phase: "selected", lr: winner.lr, valAcc: winner.valAcc });

  // Only now is the test set read: k fresh seeds of the chosen config.
  const final: TuneResult["final"] = [];
  for (let s = 0; s < (options.k ?? DEFAULT_FINAL_SEEDS); s++) {
    const seed = base.seed + s;
    const result = await deps.train({ config: { ...configs[best]!, seed }, data: deps.data });
    const testAcc = result.outcome === "succeeded" ? (result.epochs.at(-1)?.testAcc ?? null) : null;
    emit({ phase: "final", lr: winner.lr, seed, testAcc, outcome: result.outcome });
    if (testAcc !== null) final.push({ seed, testAcc });
  }
  return { sweep: state.map(({ lr, valAcc, epochs, outcome }) => ({ lr, valAcc, epochs, outcome })), lr: winner.lr, final };
}
