import { z } from "zod";
import { parseOrThrow } from "../errors";
import { ExpressionError } from "../expression/errors";
import { compileExpression } from "../expression/compile";
import { ascendingList, finiteNumber, integer, MAX_EPOCH_COUNT, MAX_LIST_LENGTH, MAX_STEP_COUNT, nonNegative, positive } from "./fields";
import { MAX_SEQUENCE_DEPTH, sequenceDepth } from "./nesting";

/** Metrics a plateau schedule can watch; losses improve downwards, accuracies upwards. */
export const MONITORS = ["val_loss", "loss", "val_acc", "acc"] as const;
export type Monitor = (typeof MONITORS)[number];

const kind = <K extends string>(name: K) => z.literal(name);

const constantSchema = z.strictObject({ kind: kind("constant"), lr: positive() });

/** Keras 2 `SGD(decay=…)`: applied per batch. */
const timeBasedSchema = z.strictObject({ kind: kind("timeBased"), lr: positive(), decay: nonNegative() });

const stepSchema = z.strictObject({ kind: kind("step"), lr: positive(), drop: positive(), epochsDrop: positive(MAX_EPOCH_COUNT) });

/**
 * `"step"` evaluates a per-epoch formula at every step, at the fractional epoch step/stepsPerEpoch
 * (continuous time, as PyTorch's `CosineAnnealingWarmRestarts.step(epoch + i/iters)`). Absent is
 * `"epoch"`: new fields are optional without defaults so that stored configs parse (and hash) as before.
 */
const unit = z.enum(["epoch", "step"], { error: "must be 'epoch' or 'step'" }).optional();

/** A period or length in epochs, for the optional `tMax` fields. */
const epochCount = () => integer(1, MAX_EPOCH_COUNT).optional();

const exponentialSchema = z.strictObject({ kind: kind("exponential"), lr: positive(), k: nonNegative(), unit });

/**
 * PyTorch PolynomialLR / Keras 3 PolynomialDecay: `(lr − endLr)·(1 − min(e, tMax)/tMax)^power + endLr`.
 * Without `tMax` the curve spans the schedule (as before this field existed, not held past it).
 */
const powerSchema = z.strictObject({
  kind: kind("power"),
  lr: positive(),
  power: nonNegative(),
  tMax: epochCount(),
  endLr: nonNegative().optional(),
  unit,
});

const piecewiseSchema = z
  .strictObject({
    kind: kind("piecewise"),
    boundaries: ascendingList(nonNegative(MAX_EPOCH_COUNT), "boundaries"),
    values: z
      .array(positive())
      .min(1, "must have at least one value")
      .max(MAX_LIST_LENGTH + 1),
  })
  .superRefine((spec, ctx) => {
    if (spec.values.length !== spec.boundaries.length + 1) {
      ctx.addIssue({
        code: "custom",
        path: ["values"],
        message: `must have one more value than boundaries (${spec.boundaries.length} boundaries, ${spec.values.length} values)`,
      });
    }
  });

/** PyTorch MultiStepLR; gamma defaults to PyTorch's 0.1. */
const multiStepSchema = z.strictObject({
  kind: kind("multiStep"),
  lr: positive(),
  milestones: ascendingList(integer(0, MAX_EPOCH_COUNT), "milestones"),
  gamma: positive().default(0.1),
});

/** PyTorch CosineAnnealingLR's closed form; `tMax` (default the schedule's span) is its period: past it the curve climbs again. */
const cosineSchema = z.strictObject({ kind: kind("cosine"), lr: positive(), minLr: nonNegative().default(0), tMax: epochCount(), unit });

/** PyTorch CosineAnnealingWarmRestarts (T_0, T_mult, eta_min). */
const cosineRestartsSchema = z.strictObject({
  kind: kind("cosineRestarts"),
  lr: positive(),
  minLr: nonNegative().default(0),
  t0: integer(1, MAX_EPOCH_COUNT),
  tMult: integer(1, 1000).default(1),
  unit,
});

/** A momentum (SGD's, or β1 of the Adam family): PyTorch's base_momentum / max_momentum. */
const momentumValue = () => finiteNumber().min(0, "must be ≥ 0").lt(1, "must be < 1").optional();

/**
 * PyTorch's cycle_momentum: off unless set (stored configs keep their meaning); when on, the
 * momentum runs inversely to the lr between baseMomentum and maxMomentum.
 */
const momentumCycleFields = { cycleMomentum: z.boolean().optional(), baseMomentum: momentumValue(), maxMomentum: momentumValue() };

/** baseMomentum and maxMomentum only mean something when cycling: say so rather than ignore them. */
function requireCycling(spec: { cycleMomentum?: boolean; baseMomentum?: number; maxMomentum?: number }, ctx: z.RefinementCtx): void {
  for (const field of ["baseMomentum", "maxMomentum"] as const) {
    if (spec[field] !== undefined && spec.cycleMomentum !== true) {
      ctx.addIssue({ code: "custom", path: [field], message: "only applies with cycleMomentum: true" });
    }
  }
}

/**
 * PyTorch OneCycleLR; defaults are PyTorch's. `threePhase` is its three_phase=True; `convention:
 * "fastai"` puts the phase ends where fastai's fit_one_cycle does (at pctStart·total and total,
 * rather than PyTorch's one step earlier).
 */
const oneCycleSchema = z
  .strictObject({
    kind: kind("oneCycle"),
    maxLr: positive(),
    pctStart: finiteNumber().min(0, "must be ≥ 0").max(1, "must be ≤ 1").default(0.3),
    divFactor: positive(1e9).default(25),
    finalDivFactor: positive(1e9).default(1e4),
    anneal: z.enum(["cos", "linear"], { error: "must be 'cos' or 'linear'" }).default("cos"),
    threePhase: z.boolean().optional(),
    convention: z.enum(["pytorch", "fastai"], { error: "must be 'pytorch' or 'fastai'" }).optional(),
    ...momentumCycleFields,
  })
  .superRefine((spec, ctx) => {
    requireCycling(spec, ctx);
    if (spec.threePhase === true && spec.pctStart > 0.5) {
      ctx.addIssue({
        code: "custom",
        path: ["pctStart"],
        message: "must be ≤ 0.5 with threePhase (the rise and the fall each take pctStart)",
      });
    }
    if (spec.threePhase === true && spec.convention === "fastai") {
      ctx.addIssue({ code: "custom", path: ["threePhase"], message: "fastai's one-cycle has two phases" });
    }
  });

/** PyTorch CyclicLR; step sizes are in batches; stepSizeDown defaults to stepSizeUp as there. */
const cyclicSchema = z
  .strictObject({
    kind: kind("cyclic"),
    baseLr: positive(),
    maxLr: positive(),
    stepSizeUp: integer(1, MAX_STEP_COUNT).default(2000),
    stepSizeDown: integer(1, MAX_STEP_COUNT).optional(),
    mode: z
      .enum(["triangular", "triangular2", "exp_range"], { error: "must be 'triangular', 'triangular2' or 'exp_range'" })
      .default("triangular"),
    /** exp_range only: the amplitude is scaled by gamma^iteration (PyTorch's default 1). */
    gamma: positive(1).optional(),
    ...momentumCycleFields,
  })
  .superRefine((spec, ctx) => {
    requireCycling(spec, ctx);
    if (spec.gamma !== undefined && spec.mode !== "exp_range") {
      ctx.addIssue({ code: "custom", path: ["gamma"], message: "only applies with mode 'exp_range'" });
    }
  });

/** Straight line over the schedule's span (use inside a `sequence` for warm-up). */
const linearSchema = z.strictObject({ kind: kind("linear"), from: nonNegative(), to: nonNegative() });

/**
 * Keras ReduceLROnPlateau; defaults are Keras's. `minDelta` is PyTorch's `threshold`;
 * `thresholdMode: "rel"` and `convention: "pytorch"` give PyTorch's rules (absent: Keras's).
 */
const reduceOnPlateauSchema = z.strictObject({
  kind: kind("reduceOnPlateau"),
  lr: positive(),
  factor: finiteNumber().gt(0, "must be > 0").lt(1, "must be < 1").default(0.1),
  patience: integer(0, MAX_EPOCH_COUNT).default(10),
  minDelta: nonNegative(1e6).default(1e-4),
  cooldown: integer(0, MAX_EPOCH_COUNT).default(0),
  minLr: nonNegative().default(0),
  monitor: z.enum(MONITORS, { error: `must be one of ${MONITORS.join(", ")}` }).default("val_loss"),
  thresholdMode: z.enum(["abs", "rel"], { error: "must be 'abs' or 'rel'" }).optional(),
  convention: z.enum(["keras", "pytorch"], { error: "must be 'keras' or 'pytorch'" }).optional(),
});

const expressionSchema = z.strictObject({
  kind: kind("expression"),
  expr: z.string().superRefine((text, ctx) => {
    try {
      compileExpression(text); // remembered: the scheduler built next uses this compiled form
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
    }
  }),
});

const sequencePartSchema = z.strictObject({
  epochs: integer(1, MAX_EPOCH_COUNT).optional(),
  get schedule(): z.ZodPreprocess<typeof scheduleSpecSchema, ScheduleInput> {
    return z.preprocess((raw: ScheduleInput, ctx) => {
      // This part sits one level inside a sequence, so its subtree gets one level less.
      if (sequenceDepth(raw) > MAX_SEQUENCE_DEPTH - 1) {
        ctx.addIssue({ code: "custom", message: `sequences must not nest more than ${MAX_SEQUENCE_DEPTH} levels deep` });
        return z.NEVER;
      }
      return raw;
    }, scheduleSpecSchema);
  },
});

/** Parts run one after another, each seeing time relative to its own span. */
const sequenceSchema = z
  .strictObject({
    kind: kind("sequence"),
    get parts(): z.ZodArray<typeof sequencePartSchema> {
      return z.array(sequencePartSchema).min(1, "must have at least one part").max(100, "must have at most 100 parts");
    },
  })
  .superRefine((spec, ctx) => {
    spec.parts.forEach((part, i) => {
      if (i < spec.parts.length - 1 && part.epochs === undefined) {
        ctx.addIssue({ code: "custom", path: ["parts", i, "epochs"], message: "is required (only the last part may omit it)" });
      }
    });
  });

const scheduleOptions = [
  constantSchema,
  timeBasedSchema,
  stepSchema,
  exponentialSchema,
  powerSchema,
  piecewiseSchema,
  multiStepSchema,
  cosineSchema,
  cosineRestartsSchema,
  oneCycleSchema,
  cyclicSchema,
  linearSchema,
  sequenceSchema,
  reduceOnPlateauSchema,
  expressionSchema,
] as const;

const kindNames = scheduleOptions.map((option) => option.shape.kind.value);

export const scheduleSpecSchema: z.ZodDiscriminatedUnion<
  typeof scheduleOptions extends readonly [...infer T] ? T : never,
  "kind"
> = z.discriminatedUnion("kind", [...scheduleOptions], {
  error: (issue) => (issue.code === "invalid_union" ? `must be one of ${kindNames.join(", ")}` : undefined),
});

export type ScheduleSpec = z.output<typeof scheduleSpecSchema>;
export type ScheduleInput = z.input<typeof scheduleSpecSchema>;
export type ScheduleKind = ScheduleSpec["kind"];
/** The spec of one kind, e.g. `ScheduleOf<"cosine">`. */
export type ScheduleOf<K extends ScheduleKind> = Extract<ScheduleSpec, { kind: K }>;

export const SCHEDULE_KINDS: readonly ScheduleKind[] = kindNames;

/** Validates a schedule (formulas included); throws ValidationError with paths under `prefix`. */
export function parseScheduleSpec(input: unknown, prefix: readonly PropertyKey[] = ["schedule"]): ScheduleSpec {
  return parseOrThrow(scheduleSpecSchema, input, prefix);
}
