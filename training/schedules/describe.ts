import { compileExpression } from "../expression/compile";
import type { ScheduleOf, ScheduleSpec } from "./spec";

/** Short human summary for tables and chart legends, e.g. `step 0.1 ×0.5 every 10 ep`. */
export function describeSchedule(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case "constant":
      return `constant ${num(spec.lr)}`;
    case "timeBased":
      return `time-based ${num(spec.lr)} decay ${num(spec.decay)}`;
    case "step":
      return `step ${num(spec.lr)} ×${num(spec.drop)} every ${num(spec.epochsDrop)} ep`;
    case "exponential":
      return `exponential ${num(spec.lr)} k=${num(spec.k)}${perStepMark(spec)}`;
    case "power": {
      const end = spec.endLr === undefined ? "" : `→${num(spec.endLr)}`;
      return `power ${num(spec.lr)}${end} p=${num(spec.power)}${tMaxMark(spec)}${perStepMark(spec)}`;
    }
    case "piecewise":
      return spec.boundaries.length === 0
        ? `piecewise ${num(spec.values[0]!)}`
        : `piecewise ${spec.values.map(num).join("→")} at ${spec.boundaries.map(num).join(",")}`;
    case "multiStep":
      return `multistep ${num(spec.lr)} ×${num(spec.gamma)} at ${spec.milestones.join(",") || "none"}`;
    case "cosine":
      return `cosine ${num(spec.lr)}→${num(spec.minLr)}${tMaxMark(spec)}${perStepMark(spec)}`;
    case "cosineRestarts":
      return `cosine restarts ${num(spec.lr)}→${num(spec.minLr)} T0=${spec.t0}${spec.tMult > 1 ? ` ×${spec.tMult}` : ""}${perStepMark(spec)}`;
    case "oneCycle": {
      const extras = [
        spec.pctStart !== 0.3 ? `${num(spec.pctStart * 100)}% up` : "",
        spec.anneal === "linear" ? "linear" : "",
        spec.threePhase === true ? "3-phase" : "",
        spec.convention === "fastai" ? "fastai" : "",
      ].filter(Boolean);
      return `one-cycle ${num(spec.maxLr)}${extras.length ? ` ${extras.join(" ")}` : ""}${momentumMark(spec)}`;
    }
    case "cyclic": {
      const down = spec.stepSizeDown !== undefined && spec.stepSizeDown !== spec.stepSizeUp ? `/${spec.stepSizeDown}` : "";
      const mode = spec.mode === "triangular" ? "" : spec.mode === "exp_range" ? ` exp_range γ=${num(spec.gamma ?? 1)}` : ` ${spec.mode}`;
      return `cyclic ${num(spec.baseLr)}↔${num(spec.maxLr)} ${spec.stepSizeUp}${down} steps${mode}${momentumMark(spec)}`;
    }
    case "linear":
      return `linear ${num(spec.from)}→${num(spec.to)}`;
    case "sequence":
      return `seq(${spec.parts.map((p) => describeSchedule(p.schedule) + (p.epochs === undefined ? "" : ` ${p.epochs}ep`)).join(", ")})`;
    case "reduceOnPlateau": {
      const rules = [spec.thresholdMode === "rel" ? "rel" : "", spec.convention === "pytorch" ? "pytorch" : ""].filter(Boolean);
      return `plateau ${num(spec.lr)} ×${num(spec.factor)} after ${spec.patience} ep (${[spec.monitor, ...rules].join(", ")})`;
    }
    case "expression": {
      const text = spec.expr.trim().replace(/\s+/g, " ");
      return `expr ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
    }
  }
}

const perStepMark = (spec: { unit?: "epoch" | "step" }) => (spec.unit === "step" ? " per step" : "");
const tMaxMark = (spec: { tMax?: number }) => (spec.tMax === undefined ? "" : ` T=${spec.tMax}`);
const momentumMark = (spec: ScheduleOf<"oneCycle" | "cyclic">) => (spec.cycleMomentum === true ? " +momentum" : "");

/** Compact number: at most 4 significant digits, no trailing zeros. */
function num(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** Whether lr can change within an epoch (so a per-epoch sample would miss values). */
export function isPerStep(spec: ScheduleSpec): boolean {
  switch (spec.kind) {
    case "timeBased":
      return spec.decay > 0;
    case "oneCycle":
    case "cyclic":
      return true;
    case "linear":
      return spec.from !== spec.to;
    case "exponential":
    case "power":
    case "cosine":
    case "cosineRestarts":
      return spec.unit === "step";
    case "expression":
      return compileExpression(spec.expr).usesStep;
    case "sequence":
      return spec.parts.some((part) => isPerStep(part.schedule));
    default:
      return false;
  }
}
