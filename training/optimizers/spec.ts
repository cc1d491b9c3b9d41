import { z } from "zod";

/**
 * Optimizer specs. The learning rate is not here: the schedule sets it before every step.
 * Defaults are Keras 2's, as the article lists them.
 */
const positive = (max: number) =>
  z
    .number()
    .refine(Number.isFinite, "must be finite")
    .refine((v) => v > 0, "must be > 0")
    .refine((v) => v <= max, `must be ≤ ${max}`);
const fraction = z.number().refine((v) => v >= 0 && v < 1, "must be in [0, 1)");

export const optimizerSpecSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("sgd"),
      momentum: fraction.default(0),
      nesterov: z.boolean().default(false),
    }),
    z.strictObject({
      kind: z.literal("adagrad"),
      epsilon: positive(1).default(1e-8),
      /** Keras 2.0 starts the accumulators at 0 (tf.keras ≥ 2.3 uses 0.1). */
      initialAccumulator: z
        .number()
        .refine((v) => v >= 0 && v <= 10, "must be in [0, 10]")
        .default(0),
    }),
    z.strictObject({
      kind: z.literal("adadelta"),
      rho: fraction.default(0.95),
      epsilon: positive(1).default(1e-8),
    }),
    z.strictObject({
      kind: z.literal("rmsprop"),
      rho: fraction.default(0.9),
      epsilon: positive(1).default(1e-8),
    }),
    z.strictObject({
      kind: z.literal("adam"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
    }),
    z.strictObject({
      kind: z.literal("adamax"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
    }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? "kind must be one of sgd, adagrad, adadelta, rmsprop, adam, adamax" : undefined) },
);

export type OptimizerSpec = z.output<typeof optimizerSpecSchema>;
export type OptimizerInput = z.input<typeof optimizerSpecSchema>;
export type OptimizerKind = OptimizerSpec["kind"];
export const OPTIMIZER_KINDS = ["sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamax"] as const satisfies readonly OptimizerKind[];

export function describeOptimizer(spec: OptimizerSpec): string {
  switch (spec.kind) {
    case "sgd":
      if (spec.momentum === 0) return "SGD";
      return `SGD m=${spec.momentum}${spec.nesterov ? " nesterov" : ""}`;
    case "adagrad":
      return "Adagrad";
    case "adadelta":
      return `Adadelta ρ=${spec.rho}`;
    case "rmsprop":
      return `RMSprop ρ=${spec.rho}`;
    case "adam":
      return "Adam";
    case "adamax":
      return "Adamax";
  }
}
