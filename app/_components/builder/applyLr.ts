/**
 * "Use" on an LR test's suggestion: writes the lr into the schedule's main lr. Pure. The main lr is
 * the one the schedule starts from or returns to (`lr`), and the peak for the cycling schedules
 * (`maxLr` of oneCycle and cyclic), as fastai's `fit_one_cycle(lr_max=…)` takes lr_find's value.
 */
import type { ScheduleInput, ScheduleKind } from "../../../training/schedules/spec";

/** The field that takes the lr, or why a kind has none (its lrs are several values of equal rank). */
export const MAIN_LR_FIELD: Record<ScheduleKind, "lr" | "maxLr" | { none: string }> = {
  constant: "lr",
  timeBased: "lr",
  step: "lr",
  exponential: "lr",
  power: "lr",
  multiStep: "lr",
  cosine: "lr",
  cosineRestarts: "lr",
  reduceOnPlateau: "lr",
  oneCycle: "maxLr",
  cyclic: "maxLr",
  piecewise: { none: "a piecewise schedule has one lr per piece; set them by hand" },
  linear: { none: "a linear schedule goes from one lr to another; set them by hand" },
  sequence: { none: "a sequence has an lr per part; set them by hand" },
  expression: { none: "an expression schedule has no lr field; use the value in the formula" },
};

export type ApplyLrResult = { schedule: ScheduleInput } | { error: string };

export function applyLr(schedule: ScheduleInput, lr: number): ApplyLrResult {
  if (!(Number.isFinite(lr) && lr > 0)) return { error: "the lr must be a positive number" };
  const field = MAIN_LR_FIELD[schedule.kind];
  if (typeof field === "object") return { error: field.none };
  return { schedule: { ...schedule, [field]: lr } };
}
