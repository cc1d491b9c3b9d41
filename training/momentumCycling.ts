import type { FieldIssue } from "./errors";
import { formatPath } from "./errors";
import { momentumField } from "./optimizers/spec";
import type { OptimizerSpec } from "./optimizers/spec";
import { momentumCyclingPaths } from "./schedules/momentum";
import type { ScheduleSpec } from "./schedules/spec";

/**
 * A schedule that cycles momentum needs an optimizer that has one (SGD's momentum or a β1):
 * one issue per `cycleMomentum: true` otherwise, at its path.
 */
export function checkMomentumCycling(config: { optimizer: OptimizerSpec; schedule: ScheduleSpec }): FieldIssue[] {
  if (momentumField(config.optimizer.kind) !== null) return [];
  return momentumCyclingPaths(config.schedule, ["schedule"]).map((path) => ({
    path: formatPath(path),
    message: `optimizer ${config.optimizer.kind} has no momentum or β1 to cycle`,
  }));
}
