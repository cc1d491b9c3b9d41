import type { OptimizerKind } from "./spec";

/**
 * The field a schedule's cycled momentum replaces (PyTorch's cycle_momentum: SGD's momentum, or
 * betas[0]), or null for an optimizer without one. Kept apart so that the optimizer spec's own
 * list (every kind, new ones included) can take its place.
 */
export function momentumField(kind: OptimizerKind): "momentum" | "beta1" | null {
  switch (kind) {
    case "sgd":
      return "momentum";
    case "adam":
    case "adamax":
      return "beta1";
    default:
      return null;
  }
}
