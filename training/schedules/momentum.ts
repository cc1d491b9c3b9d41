/** Where a schedule cycles momentum (PyTorch's cycle_momentum on oneCycle and cyclic). */
import type { ScheduleSpec } from "./spec";

/** Whether the spec (or a part of it) cycles momentum, PyTorch's cycle_momentum. */
export function cyclesMomentum(spec: ScheduleSpec): boolean {
  return momentumCyclingPaths(spec, []).length > 0;
}

/** Where the spec turns momentum cycling on: the path of each `cycleMomentum: true`, under `prefix`. */
export function momentumCyclingPaths(spec: ScheduleSpec, prefix: readonly PropertyKey[]): PropertyKey[][] {
  if ((spec.kind === "oneCycle" || spec.kind === "cyclic") && spec.cycleMomentum === true) return [[...prefix, "cycleMomentum"]];
  if (spec.kind === "sequence")
    return spec.parts.flatMap((part, i) => momentumCyclingPaths(part.schedule, [...prefix, "parts", i, "schedule"]));
  return [];
}
