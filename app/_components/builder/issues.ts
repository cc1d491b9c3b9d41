/**
 * Field issues looked up by the path of the input that shows them. Issues whose path no input
 * shows (a rule across fields, an unknown field) are listed for the run as a whole.
 */
import type { FieldIssue } from "../../../training/errors";
import type { OptimizerKind } from "../../../training/optimizers/spec";
import type { ScheduleKind } from "../../../training/schedules/spec";
import { optimizerFieldsOf, scheduleFieldsOf } from "./fields";

export class IssueIndex {
  constructor(readonly all: readonly FieldIssue[]) {}

  /** The messages at exactly `path`, and for a list field at its entries (`path[2]`). */
  at(path: string, list = false): string | undefined {
    const messages: string[] = [];
    for (const issue of this.all) {
      if (issue.path === path) messages.push(issue.message);
      else if (list && issue.path.startsWith(`${path}[`)) {
        const entry = Number(/^\[(\d+)\]/.exec(issue.path.slice(path.length))?.[1] ?? NaN);
        messages.push(Number.isNaN(entry) ? issue.message : `entry ${entry + 1}: ${issue.message}`);
      }
    }
    return messages.length ? messages.join("; ") : undefined;
  }
}

/** The paths the run editor has inputs for, given the draft's current shape. */
export function inputPaths(config: { optimizer?: { kind?: unknown }; schedule?: unknown }): { exact: Set<string>; lists: Set<string> } {
  const exact = new Set([
    "config.epochs",
    "config.batchSize",
    "config.trainLimit",
    "config.testLimit",
    "config.valSplit",
    "config.augment",
    // The Tune lr inputs (issues at them exist only while it is on).
    "tune",
    "tune.n",
    "tune.k",
    "tune.halving",
    "config.optimizer.kind",
    "config.schedule.kind",
  ]);
  const lists = new Set(["seeds"]);
  const optimizerKind = config.optimizer?.kind as OptimizerKind | undefined;
  if (optimizerKind) for (const field of optimizerFieldsOf(optimizerKind)) exact.add(`config.optimizer.${field.name}`);
  const walk = (schedule: unknown, at: string) => {
    const spec = schedule as { kind?: ScheduleKind; parts?: { schedule?: unknown }[] } | undefined;
    if (!spec?.kind) return;
    exact.add(`${at}.kind`);
    for (const field of scheduleFieldsOf(spec.kind)) {
      if (field.kind === "numberList") lists.add(`${at}.${field.name}`);
      exact.add(`${at}.${field.name}`);
    }
    spec.parts?.forEach((part, i) => {
      exact.add(`${at}.parts[${i}].epochs`);
      walk(part.schedule, `${at}.parts[${i}].schedule`);
    });
  };
  walk(config.schedule, "config.schedule");
  return { exact, lists };
}

/** Issues no input shows. */
export function unplacedIssues(issues: readonly FieldIssue[], config: Parameters<typeof inputPaths>[0]): FieldIssue[] {
  const { exact, lists } = inputPaths(config);
  return issues.filter((issue) => {
    if (exact.has(issue.path)) return false;
    for (const list of lists) if (issue.path.startsWith(`${list}[`)) return false;
    return true;
  });
}
