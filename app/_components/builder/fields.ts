/**
 * The builder's form fields, read from the training core's zod schemas rather than listed by
 * hand: a schedule kind or optimizer field added there gets an input here without changes.
 * Only the human wording (labels, starting values) lives in this file.
 */
import { OPTIMIZER_KINDS, optimizerSpecSchema, type OptimizerInput, type OptimizerKind } from "../../../training/optimizers/spec";
import { SCHEDULE_KINDS, scheduleSpecSchema, type ScheduleInput, type ScheduleKind } from "../../../training/schedules/spec";

export type FieldKind = "number" | "numberList" | "enum" | "boolean" | "text" | "parts";

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** May be left empty (zod `.optional()` or `.default()`). */
  optional: boolean;
  defaultValue?: unknown;
  options?: readonly string[];
}

interface ZodInternals {
  _zod: {
    def: { type: string; innerType?: ZodInternals; defaultValue?: unknown; element?: ZodInternals; entries?: Record<string, string> };
  };
}

/** A schema default as the builder shows it: numbers, strings and booleans as typed, anything else as JSON. */
export function formatDefault(value: unknown): string {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

function fieldOf(name: string, schema: ZodInternals): FieldSpec {
  let def = schema._zod.def;
  let optional = false;
  let defaultValue: unknown;
  // Unwrap .default() / .optional() to the value's own type.
  while ((def.type === "default" || def.type === "optional") && def.innerType) {
    optional = true;
    if (def.type === "default") defaultValue = def.defaultValue;
    def = def.innerType._zod.def;
  }
  const base = { name, optional, ...(defaultValue === undefined ? {} : { defaultValue }) };
  switch (def.type) {
    case "number":
      return { ...base, kind: "number" };
    case "boolean":
      return { ...base, kind: "boolean" };
    case "string":
      return { ...base, kind: "text" };
    case "enum":
      return { ...base, kind: "enum", options: Object.values(def.entries ?? {}) };
    case "array":
      return { ...base, kind: def.element?._zod.def.type === "object" ? "parts" : "numberList" };
    default:
      throw new Error(`builder: no input for field '${name}' of type ${def.type}`);
  }
}

function fieldsOfObject(shape: Record<string, unknown>): FieldSpec[] {
  return Object.entries(shape)
    .filter(([name]) => name !== "kind")
    .map(([name, schema]) => fieldOf(name, schema as ZodInternals));
}

type ObjectOption = { shape: Record<string, unknown> & { kind: { value: string } } };

const scheduleFields = new Map<string, FieldSpec[]>(
  (scheduleSpecSchema.options as unknown as ObjectOption[]).map((option) => [option.shape.kind.value, fieldsOfObject(option.shape)]),
);
const optimizerFields = new Map<string, FieldSpec[]>(
  (optimizerSpecSchema.options as unknown as ObjectOption[]).map((option) => [option.shape.kind.value, fieldsOfObject(option.shape)]),
);

export function scheduleFieldsOf(kind: ScheduleKind): FieldSpec[] {
  return scheduleFields.get(kind) ?? [];
}

export function optimizerFieldsOf(kind: OptimizerKind): FieldSpec[] {
  return optimizerFields.get(kind) ?? [];
}

export { OPTIMIZER_KINDS, SCHEDULE_KINDS };

export const SCHEDULE_KIND_LABELS: Record<ScheduleKind, string> = {
  constant: "Constant",
  timeBased: "Time-based decay",
  step: "Step decay",
  exponential: "Exponential decay",
  power: "Power (polynomial) decay",
  piecewise: "Piecewise constant",
  multiStep: "Multi-step (PyTorch)",
  cosine: "Cosine annealing",
  cosineRestarts: "Cosine with warm restarts",
  oneCycle: "One-cycle",
  cyclic: "Cyclic",
  linear: "Linear",
  sequence: "Sequence of schedules",
  reduceOnPlateau: "Reduce on plateau",
  expression: "Formula",
};

export const OPTIMIZER_KIND_LABELS: Record<OptimizerKind, string> = {
  sgd: "SGD",
  adagrad: "Adagrad",
  adadelta: "Adadelta",
  rmsprop: "RMSprop",
  adam: "Adam",
  adamax: "Adamax",
  adamw: "AdamW",
  nadam: "NAdam",
  radam: "RAdam",
  lion: "Lion",
  scheduleFreeSgd: "Schedule-Free SGD",
  scheduleFreeAdamw: "Schedule-Free AdamW",
};

const FIELD_LABELS: Record<string, string> = {
  lr: "Learning rate",
  decay: "Decay",
  drop: "Drop factor",
  epochsDrop: "Epochs per drop",
  k: "k (rate)",
  power: "Power",
  boundaries: "Boundaries (epochs)",
  values: "Values",
  milestones: "Milestones (epochs)",
  gamma: "Gamma",
  minLr: "Minimum lr",
  t0: "T₀ (epochs)",
  tMult: "T multiplier",
  maxLr: "Maximum lr",
  pctStart: "Rising fraction",
  divFactor: "Div factor",
  finalDivFactor: "Final div factor",
  anneal: "Annealing",
  baseLr: "Base lr",
  stepSizeUp: "Steps up",
  stepSizeDown: "Steps down",
  mode: "Mode",
  from: "From",
  to: "To",
  factor: "Factor",
  patience: "Patience (epochs)",
  minDelta: "Min delta",
  cooldown: "Cooldown (epochs)",
  monitor: "Monitor",
  expr: "Formula",
  momentum: "Momentum",
  nesterov: "Nesterov",
  epsilon: "Epsilon",
  initialAccumulator: "Initial accumulator",
  rho: "Rho (ρ)",
  beta1: "Beta 1 (β₁)",
  beta2: "Beta 2 (β₂)",
  unit: "Evaluated per",
  tMax: "T max (epochs)",
  endLr: "End lr",
  threePhase: "Three phases",
  convention: "Convention",
  cycleMomentum: "Cycle momentum",
  baseMomentum: "Base momentum",
  maxMomentum: "Max momentum",
  thresholdMode: "Threshold mode",
  weightDecay: "Weight decay",
  momentumDecay: "Momentum decay (ψ)",
  warmupSteps: "Warm-up steps",
};

export function fieldLabel(name: string): string {
  return FIELD_LABELS[name] ?? name;
}

/** Starting values for required fields when a kind is picked (defaults cover the rest). */
const STARTERS: Record<string, unknown> = {
  lr: 0.1,
  decay: 0.001,
  drop: 0.5,
  epochsDrop: 10,
  k: 0.1,
  power: 1,
  boundaries: [10, 20],
  values: [0.1, 0.01, 0.001],
  milestones: [10, 20],
  t0: 10,
  maxLr: 0.1,
  baseLr: 0.001,
  from: 0,
  to: 0.1,
  expr: "0.1 * exp(-0.1 * epoch)",
  parts: [{ epochs: 5, schedule: { kind: "linear", from: 0, to: 0.1 } }, { schedule: { kind: "cosine", lr: 0.1 } }],
};

/**
 * A fresh schedule of `kind`: required fields get starting values, defaulted ones their
 * defaults; `previous` lends its learning rate where the new kind has one.
 */
export function newSchedule(kind: ScheduleKind, previous?: ScheduleInput): ScheduleInput {
  const out: Record<string, unknown> = { kind };
  const previousLr = previous && "lr" in previous ? previous.lr : previous && "maxLr" in previous ? previous.maxLr : undefined;
  for (const field of scheduleFieldsOf(kind)) {
    if ((field.name === "lr" || field.name === "maxLr") && typeof previousLr === "number") out[field.name] = previousLr;
    else if (field.name in STARTERS) out[field.name] = structuredClone(STARTERS[field.name]);
    else if (field.defaultValue !== undefined) out[field.name] = field.defaultValue;
  }
  return out as ScheduleInput;
}

export function newOptimizer(kind: OptimizerKind): OptimizerInput {
  const out: Record<string, unknown> = { kind };
  for (const field of optimizerFieldsOf(kind)) if (field.defaultValue !== undefined) out[field.name] = field.defaultValue;
  return out as OptimizerInput;
}
