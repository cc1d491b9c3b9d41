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
const decay = z
  .number()
  .refine(Number.isFinite, "must be finite")
  .refine((v) => v >= 0 && v <= 1, "must be in [0, 1]");
/**
 * Coupled L2 on the existing six (g ← g + wd·w, PyTorch's `weight_decay`). Absent means 0, and
 * stays absent rather than defaulting, so stored configs parse (and hash) as before.
 */
const coupledDecay = decay.optional();
const warmupSteps = z.number().int("must be an integer").min(0, "must be ≥ 0").max(1_000_000, "must be ≤ 1000000");

export const optimizerSpecSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("sgd"),
      momentum: fraction.default(0),
      nesterov: z.boolean().default(false),
      weightDecay: coupledDecay,
    }),
    z.strictObject({
      kind: z.literal("adagrad"),
      epsilon: positive(1).default(1e-8),
      /** Keras 2.0 starts the accumulators at 0 (tf.keras ≥ 2.3 uses 0.1). */
      initialAccumulator: z
        .number()
        .refine((v) => v >= 0 && v <= 10, "must be in [0, 10]")
        .default(0),
      weightDecay: coupledDecay,
    }),
    z.strictObject({
      kind: z.literal("adadelta"),
      rho: fraction.default(0.95),
      epsilon: positive(1).default(1e-8),
      weightDecay: coupledDecay,
    }),
    z.strictObject({
      kind: z.literal("rmsprop"),
      rho: fraction.default(0.9),
      epsilon: positive(1).default(1e-8),
      weightDecay: coupledDecay,
    }),
    z.strictObject({
      kind: z.literal("adam"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
      weightDecay: coupledDecay,
    }),
    z.strictObject({
      kind: z.literal("adamax"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
      weightDecay: coupledDecay,
    }),
    /** PyTorch 1.13 `AdamW`: decoupled decay w ← w·(1 − lr·wd), then Adam with PyTorch's ε placement. */
    z.strictObject({
      kind: z.literal("adamw"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
      weightDecay: decay.default(0.01),
    }),
    /** PyTorch 1.13 `NAdam`. */
    z.strictObject({
      kind: z.literal("nadam"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
      momentumDecay: z
        .number()
        .refine((v) => v >= 0 && v <= 1, "must be in [0, 1]")
        .default(0.004),
      weightDecay: decay.default(0),
    }),
    /** PyTorch 1.13 `RAdam`. */
    z.strictObject({
      kind: z.literal("radam"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
      weightDecay: decay.default(0),
    }),
    /** Lion (Chen et al. 2023), decoupled decay. */
    z.strictObject({
      kind: z.literal("lion"),
      beta1: fraction.default(0.9),
      beta2: fraction.default(0.99),
      weightDecay: decay.default(0),
    }),
    /** facebookresearch/schedule_free `SGDScheduleFree` (r = 0, weight_lr_power = 2). */
    z.strictObject({
      kind: z.literal("scheduleFreeSgd"),
      momentum: fraction.refine((v) => v > 0, "must be > 0").default(0.9),
      weightDecay: decay.default(0),
      warmupSteps: warmupSteps.default(0),
    }),
    /** facebookresearch/schedule_free `AdamWScheduleFree` (r = 0, weight_lr_power = 2). */
    z.strictObject({
      kind: z.literal("scheduleFreeAdamw"),
      beta1: fraction.refine((v) => v > 0, "must be > 0").default(0.9),
      beta2: fraction.default(0.999),
      epsilon: positive(1).default(1e-8),
      weightDecay: decay.default(0),
      warmupSteps: warmupSteps.default(0),
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? "kind must be one of sgd, adagrad, adadelta, rmsprop, adam, adamax, adamw, nadam, radam, lion, scheduleFreeSgd, scheduleFreeAdamw"
        : undefined,
  },
);

export type OptimizerSpec = z.output<typeof optimizerSpecSchema>;
export type OptimizerInput = z.input<typeof optimizerSpecSchema>;
export type OptimizerKind = OptimizerSpec["kind"];
export const OPTIMIZER_KINDS = [
  "sgd",
  "adagrad",
  "adadelta",
  "rmsprop",
  "adam",
  "adamax",
  "adamw",
  "nadam",
  "radam",
  "lion",
  "scheduleFreeSgd",
  "scheduleFreeAdamw",
] as const satisfies readonly OptimizerKind[];

/**
 * Which field a cycled momentum replaces each step (`step`'s `momentum` argument), as PyTorch's
 * cycle_momentum sets a param group's `momentum` or `betas[0]`; null where there is none to cycle.
 * Schedule-free's β1 is its averaging constant, not a momentum buffer, so it is not cycled.
 */
export function momentumField(kind: OptimizerKind): "momentum" | "beta1" | null {
  switch (kind) {
    case "sgd":
      return "momentum";
    case "adam":
    case "adamw":
    case "nadam":
    case "radam":
    case "adamax":
    case "lion":
      return "beta1";
    case "adagrad":
    case "adadelta":
    case "rmsprop":
    case "scheduleFreeSgd":
    case "scheduleFreeAdamw":
      return null;
  }
}

export function describeOptimizer(spec: OptimizerSpec): string {
  const wd = spec.weightDecay ? ` wd=${spec.weightDecay}` : "";
  return describeKind(spec) + (spec.kind === "adamw" && spec.weightDecay === 0.01 ? "" : wd);
}

function describeKind(spec: OptimizerSpec): string {
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
    case "adamw":
      return "AdamW";
    case "nadam":
      return "NAdam";
    case "radam":
      return "RAdam";
    case "lion":
      return "Lion";
    case "scheduleFreeSgd":
      return `Schedule-Free SGD m=${spec.momentum}`;
    case "scheduleFreeAdamw":
      return "Schedule-Free AdamW";
  }
}
