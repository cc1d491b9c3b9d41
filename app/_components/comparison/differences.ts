/**
 * The comparison page's differences: each config's final test accuracy over its succeeded seeds,
 * and the Welch 95% interval of its difference from another config's (by default the best one's).
 */
import type { MetricColumns, PresentedRun } from "../../../server/api/present";
import { welchDifference, type Difference } from "../../../lib/stats/welch";

export interface SeedGroup {
  key: string;
  label: string;
  /** The trainer version of every seed in the group. */
  version: string;
  /** Final test accuracy of each succeeded seed. */
  values: number[];
}

/**
 * Final test accuracy of a finished run: the last epoch's test accuracy, or — for runs recorded
 * before test metrics were kept apart — its final val accuracy when it had no validation split
 * (then val was the test set). Null when unknown.
 */
export function finalTestAcc(run: PresentedRun, columns: MetricColumns | undefined): number | null {
  const last = columns?.testAcc.at(-1);
  if (last !== undefined && Number.isFinite(last)) return last;
  return run.config.valSplit === undefined ? run.finalValAcc : null;
}

/**
 * Succeeded full runs grouped by config and trainer version, in listing order: seeds trained by
 * different numerics are never pooled (the label names the version where a config has several).
 */
export function seedGroups(runs: readonly PresentedRun[], metrics: Readonly<Record<string, MetricColumns>>): SeedGroup[] {
  const groups = new Map<string, SeedGroup & { config: string }>();
  for (const run of runs) {
    if (run.kind !== "full" || run.status !== "succeeded") continue;
    const acc = finalTestAcc(run, metrics[run.id]);
    if (acc === null || !Number.isFinite(acc)) continue;
    const version = run.trainerVersion ?? "unversioned";
    const key = `${run.group} ${version}`;
    const group = groups.get(key) ?? { key, config: run.group, label: run.label, version, values: [] };
    group.values.push(acc);
    groups.set(key, group);
  }
  const all = [...groups.values()];
  const versionsOf = (config: string) => all.filter((g) => g.config === config).length;
  return all.map(({ key, config, label, version, values }) => ({
    key,
    label: versionsOf(config) > 1 ? `${label} · ${version}` : label,
    version,
    values,
  }));
}

/** The group with the highest mean among those with n ≥ 2 (a single lucky seed cannot be the reference). */
export function bestGroup(groups: readonly SeedGroup[]): SeedGroup | null {
  const mean = (g: SeedGroup) => g.values.reduce((a, b) => a + b, 0) / g.values.length;
  return groups.filter((g) => g.values.length >= 2).reduce<SeedGroup | null>((best, g) => (!best || mean(g) > mean(best) ? g : best), null);
}

/** Each group's reference: the best group of its own trainer version (numerics are never ranked against each other). */
export function referenceOf(groups: readonly SeedGroup[], group: SeedGroup): SeedGroup | null {
  return bestGroup(groups.filter((g) => g.version === group.version));
}

export function compareGroups(a: SeedGroup, b: SeedGroup): Difference | null {
  return welchDifference(a.values, b.values);
}
