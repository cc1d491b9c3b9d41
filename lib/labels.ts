/**
 * Run labels for tables, legends and exports, from the config alone (pure: the builder uses it
 * in the browser too). Runs have no stored name, so equal labels are numbered.
 */
import type { RunConfig } from "../training/config";
import { describeOptimizer, type OptimizerSpec } from "../training/optimizers/spec";
import { describeSchedule } from "../training/schedules/describe";
import type { ScheduleSpec } from "../training/schedules/spec";

export function runLabel(config: { optimizer: OptimizerSpec; schedule: ScheduleSpec }): string {
  return `${describeOptimizer(config.optimizer)} · ${describeSchedule(config.schedule)}`;
}

/**
 * One label per distinct config (`key`, e.g. the config hash: seeds of one config share it);
 * different configs that describe alike are numbered " (2)", " (3)"… in order of appearance.
 */
export function labelsByConfig(items: readonly { key: string; config: Pick<RunConfig, "optimizer" | "schedule"> }[]): Map<string, string> {
  const labels = new Map<string, string>();
  const uses = new Map<string, number>();
  for (const { key, config } of items) {
    if (labels.has(key)) continue;
    const label = runLabel(config);
    const n = (uses.get(label) ?? 0) + 1;
    uses.set(label, n);
    labels.set(key, n === 1 ? label : `${label} (${n})`);
  }
  return labels;
}
