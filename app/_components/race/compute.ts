/**
 * The race's TensorFlow.js side, loaded by dynamic import from RaceLab so that the page's first
 * load carries no tfjs: the same optimizer, schedule and function code as the CLI, on cpu.
 */
import { initRaceBackend } from "../../../training/race/backend";
import type { RaceFunction } from "../../../training/race/functions";
import { evaluateGrid } from "../../../training/race/grid";
import { runRace, type RacePath } from "../../../training/race/race";
import type { RaceSpec } from "../../../training/race/spec";

export async function computeRace(
  fn: RaceFunction,
  specs: RaceSpec[],
  gridSize: number,
): Promise<{ paths: RacePath[]; grid: Float32Array }> {
  await initRaceBackend();
  return { paths: specs.map(runRace), grid: evaluateGrid(fn, gridSize) };
}
