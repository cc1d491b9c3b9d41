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

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8"));

export const scheduleFixtures = () => read("schedules.json") as { torch: string; cases: ScheduleFixture[] };
export const presetFixtures = () => read("presets.json") as { torch: string; cases: PresetFixture[] };

/** One schedule case by name. */
export function scheduleFixture(name: string): ScheduleFixture {
  const found = scheduleFixtures().cases.find((c) => c.name === name);
  if (!found) throw new Error(`no schedule fixture named '${name}'`);
  return found;
}
