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

/** The article's schedules, then a few modern ones. */
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
} as const satisfies Record<string, SchedulePreset>;

export type SchedulePresetName = keyof typeof SCHEDULE_PRESETS;
export const SCHEDULE_PRESET_NAMES = Object.keys(SCHEDULE_PRESETS) as SchedulePresetName[];

export function isSchedulePresetName(name: string): name is SchedulePresetName {
  return Object.hasOwn(SCHEDULE_PRESETS, name);
}
