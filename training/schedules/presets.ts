import { parseScheduleSpec, type ScheduleInput, type ScheduleSpec } from "./spec";

export interface SchedulePreset {
  label: string;
  /** The preset's spec for a run of `epochs` epochs (validated, defaults filled). */
  build(epochs: number): ScheduleSpec;
}

const preset = (label: string, input: (epochs: number) => ScheduleInput): SchedulePreset => ({
  label,
  build(epochs) {
    if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be an integer ≥ 1, got ${epochs}`);
    return parseScheduleSpec(input(epochs));
  },
});

/** Warm-up length for the warm-up + cosine preset: 5 epochs, less for runs too short for that. */
const warmupEpochs = (epochs: number) => Math.max(1, Math.min(5, Math.floor(epochs / 4)));

/** Hugging Face warmup-stable-decay phase lengths: decay the last fifth, warm up as above, hold between. */
function wsdEpochs(epochs: number): { warmup: number; stable: number; decay: number } {
  const decay = Math.max(1, Math.round(epochs / 5));
  const warmup = Math.min(warmupEpochs(epochs), epochs - decay);
  return { warmup, stable: epochs - warmup - decay, decay };
}

/** Parts of a sequence, leaving out those an extra-short run gives no epochs. */
const parts = (...list: { epochs: number; schedule: ScheduleInput }[]) => {
  const kept = list.filter((part) => part.epochs > 0);
  return kept.map((part, i) => (i === kept.length - 1 ? { schedule: part.schedule } : part));
};

/**
 * What papers cite, built from the kinds above at peak lr 0.1; each is tested against its library's
 * definition (training/schedules/fixtures/presets.json, from scripts/fixtures/schedules.py). The
 * definitions are taken in float64: fastai's phase position and Keras's arithmetic run in float32
 * there, so those libraries' own numbers differ from these in the 7th digit.
 */
const LIBRARY_PRESETS = {
  /** torch.optim.lr_scheduler.OneCycleLR with every default (cycle_momentum on, 0.85–0.95). */
  pytorchOneCycle: preset("PyTorch OneCycleLR (defaults)", () => ({
    kind: "oneCycle",
    maxLr: 0.1,
    cycleMomentum: true,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
  })),
  /** fastai fit_one_cycle (fastai/callback/schedule.py): pct_start 0.25, div 25, div_final 1e5 (= 25·4000), moms 0.95/0.85/0.95. */
  fastaiOneCycle: preset("fastai fit_one_cycle", () => ({
    kind: "oneCycle",
    convention: "fastai",
    maxLr: 0.1,
    pctStart: 0.25,
    divFactor: 25,
    finalDivFactor: 4000,
    cycleMomentum: true,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
  })),
  /** Keras 3 CosineDecay(0, decay_steps, warmup_target=0.1, warmup_steps): linear warm-up, then a per-step cosine to 0. */
  kerasCosineWarmup: preset("Keras 3 CosineDecay with warm-up", (epochs) => ({
    kind: "sequence",
    parts: parts(
      { epochs: warmupEpochs(epochs), schedule: { kind: "linear", from: 0, to: 0.1 } },
      { epochs: epochs - warmupEpochs(epochs), schedule: { kind: "cosine", lr: 0.1, unit: "step" } },
    ),
  })),
  /** transformers get_wsd_schedule (linear warm-up, constant, cosine decay to 0, per step). */
  huggingFaceWsd: preset("Hugging Face warmup-stable-decay", (epochs) => {
    const { warmup, stable, decay } = wsdEpochs(epochs);
    return {
      kind: "sequence",
      parts: parts(
        { epochs: warmup, schedule: { kind: "linear", from: 0, to: 0.1 } },
        { epochs: stable, schedule: { kind: "constant", lr: 0.1 } },
        { epochs: decay, schedule: { kind: "cosine", lr: 0.1, unit: "step" } },
      ),
    };
  }),
  /**
   * timm CosineLRScheduler as timm's train.py builds it (t_initial = epochs, warmup_lr_init 1e-5,
   * lr_min 0, warmup_prefix False, per epoch): the cosine runs over the whole run, warm-up included,
   * so its part reads the run's epoch (part epoch + warm-up) — hence formulas.
   */
  timmCosineWarmup: preset("timm cosine with warm-up", (epochs) => {
    const warmup = warmupEpochs(epochs);
    return {
      kind: "sequence",
      parts: parts(
        { epochs: warmup, schedule: { kind: "expression", expr: `1e-5 + epoch * ((0.1 - 1e-5) / ${warmup})` } },
        { epochs: epochs - warmup, schedule: { kind: "expression", expr: `0.5 * 0.1 * (1 + cos(pi * (epoch + ${warmup}) / ${epochs}))` } },
      ),
    };
  }),
} as const satisfies Record<string, SchedulePreset>;

/** The article's schedules, then a few modern ones, then the library presets. */
export const SCHEDULE_PRESETS = {
  constant: preset("Constant 0.1", () => ({ kind: "constant", lr: 0.1 })),
  timeBased: preset("Time-based decay", (epochs) => ({ kind: "timeBased", lr: 0.1, decay: 0.1 / epochs })),
  step: preset("Step decay", () => ({ kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 })),
  exponential: preset("Exponential decay", () => ({ kind: "exponential", lr: 0.1, k: 0.1 })),
  power: preset("Power decay", () => ({ kind: "power", lr: 0.1, power: 1 })),
  progressiveDrops: preset("Progressive drops", (epochs) => ({
    kind: "piecewise",
    boundaries: [0.5 * epochs, 0.75 * epochs, 0.9 * epochs],
    values: [0.1, 0.01, 0.001, 0.0001],
  })),
  cosine: preset("Cosine 0.1→0", () => ({ kind: "cosine", lr: 0.1 })),
  oneCycle: preset("One-cycle (max 0.1)", () => ({ kind: "oneCycle", maxLr: 0.1 })),
  warmupCosine: preset("Linear warm-up + cosine", (epochs) => ({
    kind: "sequence",
    parts: [{ epochs: warmupEpochs(epochs), schedule: { kind: "linear", from: 0, to: 0.1 } }, { schedule: { kind: "cosine", lr: 0.1 } }],
  })),
  ...LIBRARY_PRESETS,
} as const satisfies Record<string, SchedulePreset>;

export type SchedulePresetName = keyof typeof SCHEDULE_PRESETS;
export const SCHEDULE_PRESET_NAMES = Object.keys(SCHEDULE_PRESETS) as SchedulePresetName[];

export function isSchedulePresetName(name: string): name is SchedulePresetName {
  return Object.hasOwn(SCHEDULE_PRESETS, name);
}
