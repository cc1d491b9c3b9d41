import type { OptimizerInput } from "./spec";

/**
 * The article's runs that pair an adaptive optimizer with its Keras default learning rate, and the
 * SGD settings it used with the decay schedules. Schedules come from the schedule presets.
 */
export const ARTICLE_OPTIMIZERS = {
  sgd: { kind: "sgd", momentum: 0, nesterov: false },
  /** The time-based decay run used momentum 0.8. */
  sgdMomentum08: { kind: "sgd", momentum: 0.8, nesterov: false },
  adagrad: { kind: "adagrad" },
  adadelta: { kind: "adadelta" },
  rmsprop: { kind: "rmsprop" },
  adam: { kind: "adam" },
} as const satisfies Record<string, OptimizerInput>;

/** Keras default learning rates of the adaptive optimizers (constant schedules in the article). */
export const ADAPTIVE_DEFAULT_LR = { adagrad: 0.01, adadelta: 1.0, rmsprop: 0.001, adam: 0.001 } as const;
