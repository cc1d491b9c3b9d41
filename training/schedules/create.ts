import { parseOrThrow, ValidationError } from "../errors";
import { compileExpression } from "../expression/compile";
import { ExpressionError } from "../expression/errors";
import { cosineLr, epochTime, exponentialLr, linearLr, multiStepLr, piecewiseLr, powerLr, stepDecayLr, timeBasedLr } from "./formulas";
import { initialPlateauState, plateauAfterEpoch, schedulerStateSchema, type PlateauState } from "./plateau";
import { cosineRestartsLr, cyclicLr, cyclicMomentum, oneCycleLr, oneCycleMomentum } from "./pytorch";
import { ScheduleRangeError } from "./rangeError";
import type { ScheduleOf, ScheduleSpec } from "./spec";
import type { EpochMonitorValues, ScheduleContext, Scheduler, TimePoint } from "./types";

/**
 * One (sub)schedule: lr (and, where it cycles it, momentum; else null) at a time relative to its
 * span, and epoch ends relative to it too.
 */
interface ScheduleNode {
  lr(t: TimePoint): number;
  momentum(t: TimePoint): number | null;
  endEpoch(epoch: number, values: EpochMonitorValues): void;
}

/** The reduceOnPlateau nodes of a tree, in tree order: together they are the scheduler's state. */
interface PlateauCell {
  spec: ScheduleOf<"reduceOnPlateau">;
  state: PlateauState;
}

/**
 * Builds the scheduler for a validated spec over a run. `path` is where the spec sits in the
 * user's document, for errors (e.g. `schedule.parts[1].schedule.expr`).
 */
export function createScheduler(spec: ScheduleSpec, ctx: ScheduleContext, path: readonly PropertyKey[] = ["schedule"]): Scheduler {
  for (const key of ["epochs", "stepsPerEpoch"] as const) {
    if (!Number.isInteger(ctx[key]) || ctx[key] < 1) throw new RangeError(`ScheduleContext.${key} must be an integer ≥ 1, got ${ctx[key]}`);
  }
  const plateaus: PlateauCell[] = [];
  const root = buildNode(spec, ctx.epochs, path, plateaus);
  const { epochs, stepsPerEpoch } = ctx;
  const at = (epoch: number, stepInEpoch: number): TimePoint => ({
    epoch,
    step: epoch * stepsPerEpoch + stepInEpoch,
    epochs,
    stepsPerEpoch,
    stepInEpoch,
    runEpoch: epoch,
  });
  return {
    lr(epoch, stepInEpoch) {
      return root.lr(at(epoch, stepInEpoch));
    },
    momentum(epoch, stepInEpoch) {
      return root.momentum(at(epoch, stepInEpoch));
    },
    endEpoch(epoch, values) {
      root.endEpoch(epoch, values);
    },
    getState() {
      return { plateaus: plateaus.map((cell) => ({ ...cell.state })) };
    },
    setState(input) {
      const state = parseOrThrow(schedulerStateSchema, input, ["schedulerState"]);
      if (state.plateaus.length !== plateaus.length) {
        throw new ValidationError([
          {
            path: "schedulerState.plateaus",
            message: `must have ${plateaus.length} entries (one per reduceOnPlateau), got ${state.plateaus.length}`,
          },
        ]);
      }
      state.plateaus.forEach((plateau, i) => {
        if (plateau.lr > plateaus[i]!.spec.lr) {
          throw new ValidationError([
            { path: `schedulerState.plateaus[${i}].lr`, message: `must be ≤ the schedule's lr (${plateaus[i]!.spec.lr})` },
          ]);
        }
      });
      state.plateaus.forEach((plateau, i) => {
        plateaus[i]!.state = plateau;
      });
    },
  };
}

function buildNode(spec: ScheduleSpec, spanEpochs: number, path: readonly PropertyKey[], plateaus: PlateauCell[]): ScheduleNode {
  switch (spec.kind) {
    case "sequence":
      return sequenceNode(spec, spanEpochs, path, plateaus);
    case "reduceOnPlateau":
      return plateauNode(spec, plateaus);
    case "expression":
      return expressionNode(spec, path);
    default:
      return formulaNode(formulaOf(spec), path, momentumFormulaOf(spec));
  }
}

type Formula = (t: TimePoint) => number;

function formulaOf(spec: Exclude<ScheduleSpec, { kind: "sequence" | "reduceOnPlateau" | "expression" }>): Formula {
  switch (spec.kind) {
    case "constant":
      return () => spec.lr;
    case "timeBased":
      return (t) => timeBasedLr(spec, t.step);
    case "step":
      return (t) => stepDecayLr(spec, t.epoch);
    case "exponential":
      return (t) => exponentialLr(spec, epochTime(spec, t));
    case "power":
      return (t) => powerLr(spec, epochTime(spec, t), t.epochs);
    case "piecewise":
      return (t) => piecewiseLr(spec, t.epoch);
    case "multiStep":
      return (t) => multiStepLr(spec, t.epoch);
    case "cosine":
      return (t) => cosineLr(spec, epochTime(spec, t), t.epochs);
    case "cosineRestarts":
      return (t) => cosineRestartsLr(spec, epochTime(spec, t));
    case "oneCycle":
      return (t) => oneCycleLr(spec, t.step, t.epochs * t.stepsPerEpoch);
    case "cyclic":
      return (t) => cyclicLr(spec, t.step);
    case "linear":
      return (t) => linearLr(spec, t.step, t.epochs * t.stepsPerEpoch);
  }
}

/** The momentum of the kinds that can cycle it (PyTorch's cycle_momentum), when they do. */
function momentumFormulaOf(spec: ScheduleSpec): Formula | null {
  if (spec.kind === "oneCycle" && spec.cycleMomentum === true) return (t) => oneCycleMomentum(spec, t.step, t.epochs * t.stepsPerEpoch);
  if (spec.kind === "cyclic" && spec.cycleMomentum === true) return (t) => cyclicMomentum(spec, t.step);
  return null;
}

const noEpochEnd = () => {};
const noMomentum = () => null;

/** Stateless kinds: pure in time, with the range check every kind gets (e.g. gamma^n overflow). */
function formulaNode(formula: Formula, path: readonly PropertyKey[], momentum: Formula | null = null): ScheduleNode {
  return {
    lr(t) {
      const value = formula(t);
      if (value >= 0 && value < Infinity) return value;
      throw new ScheduleRangeError(path, `lr is ${value}; must be finite and ≥ 0`, t);
    },
    momentum: momentum ?? noMomentum,
    endEpoch: noEpochEnd,
  };
}

function expressionNode(spec: ScheduleOf<"expression">, path: readonly PropertyKey[]): ScheduleNode {
  const formula = compileExpression(spec.expr);
  return {
    lr(t) {
      try {
        return formula.evaluate(t);
      } catch (error) {
        if (error instanceof ExpressionError) throw new ScheduleRangeError([...path, "expr"], error.message, t);
        throw error;
      }
    },
    momentum: noMomentum,
    endEpoch: noEpochEnd,
  };
}

/** The lr lives in the state; the lr set at an epoch's end applies from the next epoch. */
function plateauNode(spec: ScheduleOf<"reduceOnPlateau">, plateaus: PlateauCell[]): ScheduleNode {
  const cell: PlateauCell = { spec, state: initialPlateauState(spec) };
  plateaus.push(cell);
  return {
    lr: () => cell.state.lr,
    momentum: noMomentum,
    endEpoch(_epoch, values) {
      cell.state = plateauAfterEpoch(spec, cell.state, values[spec.monitor]);
    },
  };
}

interface SequencePart {
  start: number;
  node: ScheduleNode;
  span: number;
}

/**
 * Each part owns epochs [start, start + span); the last part also owns everything after, as
 * with PyTorch SequentialLR / optax join_schedules. A last part without `epochs` spans the rest
 * of the enclosing span.
 */
function sequenceNode(
  spec: ScheduleOf<"sequence">,
  spanEpochs: number,
  path: readonly PropertyKey[],
  plateaus: PlateauCell[],
): ScheduleNode {
  const parts: SequencePart[] = [];
  let start = 0;
  spec.parts.forEach((part, i) => {
    const span = part.epochs ?? Math.max(spanEpochs - start, 0);
    parts.push({ start, span, node: buildNode(part.schedule, span, [...path, "parts", i, "schedule"], plateaus) });
    start += span;
  });
  const partAt = (epoch: number): SequencePart => {
    for (let i = parts.length - 1; i > 0; i--) if (epoch >= parts[i]!.start) return parts[i]!;
    return parts[0]!;
  };
  const relative = (t: TimePoint, part: SequencePart): TimePoint => ({
    ...t,
    epoch: t.epoch - part.start,
    step: t.step - part.start * t.stepsPerEpoch,
    epochs: part.span,
  });
  return {
    lr(t) {
      const part = partAt(t.epoch);
      return part.node.lr(relative(t, part));
    },
    momentum(t) {
      const part = partAt(t.epoch);
      return part.node.momentum(relative(t, part));
    },
    endEpoch(epoch, values) {
      const part = partAt(epoch);
      part.node.endEpoch(epoch - part.start, values);
    },
  };
}
