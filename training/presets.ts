import type { RunConfigInput } from "./config";
import { ADAPTIVE_DEFAULT_LR, ARTICLE_OPTIMIZERS } from "./optimizers/presets";
import { SCHEDULE_PRESETS } from "./schedules/presets";

export interface RunPreset {
  name: string;
  config: RunConfigInput;
}

/** The article trained the Keras CIFAR-10 CNN with batches of 64. */
const ARTICLE_BATCH = 64;

/**
 * The article's full comparison: four SGD schedules, then the adaptive optimizers at their Keras
 * default learning rates held constant. Momentum: 0.8 for time-based decay as the article states;
 * its step and exponential runs used momentum as well (0.9 and 0.8).
 */
export function articleComparison(epochs: number, seed = 0): RunPreset[] {
  const run = (name: string, optimizer: RunConfigInput["optimizer"], schedule: RunConfigInput["schedule"]): RunPreset => ({
    name,
    config: { model: "keras-cifar10-cnn", dataset: "cifar10", epochs, batchSize: ARTICLE_BATCH, optimizer, schedule, seed },
  });
  const sgdMomentum = (momentum: number) => ({ kind: "sgd" as const, momentum, nesterov: false });
  return [
    run("Constant lr", ARTICLE_OPTIMIZERS.sgd, SCHEDULE_PRESETS.constant.build(epochs)),
    run("Time-based decay", ARTICLE_OPTIMIZERS.sgdMomentum08, SCHEDULE_PRESETS.timeBased.build(epochs)),
    run("Step decay", sgdMomentum(0.9), SCHEDULE_PRESETS.step.build(epochs)),
    run("Exponential decay", sgdMomentum(0.8), SCHEDULE_PRESETS.exponential.build(epochs)),
    run("Adagrad", ARTICLE_OPTIMIZERS.adagrad, { kind: "constant", lr: ADAPTIVE_DEFAULT_LR.adagrad }),
    run("Adadelta", ARTICLE_OPTIMIZERS.adadelta, { kind: "constant", lr: ADAPTIVE_DEFAULT_LR.adadelta }),
    run("RMSprop", ARTICLE_OPTIMIZERS.rmsprop, { kind: "constant", lr: ADAPTIVE_DEFAULT_LR.rmsprop }),
    run("Adam", ARTICLE_OPTIMIZERS.adam, { kind: "constant", lr: ADAPTIVE_DEFAULT_LR.adam }),
  ];
}
