/** The reference tables in ./fixtures/ (scripts/fixtures/schedules.py), for tests. */
import { readFileSync } from "node:fs";
import type { SchedulePresetName } from "./presets";

/** lr (and cycled momentum) before every step, `[epoch][step]`, as the reference gives them. */
interface ReferenceTable {
  source: string;
  epochs: number;
  stepsPerEpoch: number;
  lr: number[][];
  momentum?: number[][];
}

export interface ScheduleFixture extends ReferenceTable {
  name: string;
  /** Our spec for the same schedule. */
  spec: unknown;
  monitor?: number[];
}

export interface PresetFixture extends ReferenceTable {
  preset: SchedulePresetName;
}

const read = <T>(file: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as { torch: string; cases: T[] };

export const scheduleFixtures = () => read<ScheduleFixture>("schedules.json");
export const presetFixtures = () => read<PresetFixture>("presets.json");

/** One schedule case by name. */
export function scheduleFixture(name: string): ScheduleFixture {
  const found = scheduleFixtures().cases.find((c) => c.name === name);
  if (!found) throw new Error(`no schedule fixture named '${name}'`);
  return found;
}
