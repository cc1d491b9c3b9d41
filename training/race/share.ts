import type { FieldIssue } from "../errors";
import { ValidationError } from "../errors";
import type { OptimizerInput } from "../optimizers/spec";
import type { ScheduleInput } from "../schedules/spec";
import { RACE_FUNCTIONS, type RaceFunction } from "./functions";
import { parseRaceSpec, type RaceSpec } from "./spec";

/** A whole race as the /race page holds it and shares it: one function and start, several racers. */
export interface RaceDraft {
  function: RaceFunction;
  start: [number, number];
  steps: number;
  racers: { optimizer: OptimizerInput; schedule: ScheduleInput }[];
}

export const MAX_RACERS = 8;

export const DEFAULT_RACE: RaceDraft = {
  function: "rosenbrock",
  start: [-1.5, 2],
  steps: 300,
  racers: [
    { optimizer: { kind: "sgd", momentum: 0.9 }, schedule: { kind: "constant", lr: 0.0005 } },
    { optimizer: { kind: "adam" }, schedule: { kind: "constant", lr: 0.05 } },
    { optimizer: { kind: "lion" }, schedule: { kind: "cosine", lr: 0.02 } },
    { optimizer: { kind: "scheduleFreeAdamw" }, schedule: { kind: "constant", lr: 0.05 } },
  ],
};

/** `fn=…&start=x,y&steps=N&r={optimizer,schedule}&r=…`: readable, and one JSON value per racer. */
export function raceQuery(draft: RaceDraft): string {
  const params = new URLSearchParams({ fn: draft.function, start: draft.start.join(","), steps: String(draft.steps) });
  for (const racer of draft.racers) params.append("r", JSON.stringify(racer));
  return params.toString();
}

/** The draft a query string describes, with DEFAULT_RACE filling what it leaves out; unreadable parts are reported, not thrown. */
export function draftFromQuery(params: URLSearchParams): { draft: RaceDraft; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const draft: RaceDraft = structuredClone(DEFAULT_RACE);
  const fn = params.get("fn");
  if (fn !== null) {
    if ((RACE_FUNCTIONS as readonly string[]).includes(fn)) draft.function = fn as RaceFunction;
    else issues.push({ path: "fn", message: `must be one of ${RACE_FUNCTIONS.join(", ")}` });
  }
  const start = params.get("start");
  if (start !== null) {
    const xy = start.split(",").map(Number);
    if (xy.length === 2 && xy.every(Number.isFinite)) draft.start = [xy[0]!, xy[1]!];
    else issues.push({ path: "start", message: "must be two numbers x,y" });
  }
  const steps = params.get("steps");
  if (steps !== null) draft.steps = Number(steps);
  const racers = params.getAll("r");
  if (racers.length > 0) {
    draft.racers = [];
    racers.slice(0, MAX_RACERS).forEach((text, i) => {
      try {
        const racer = JSON.parse(text) as RaceDraft["racers"][number];
        draft.racers.push({ optimizer: racer.optimizer, schedule: racer.schedule });
      } catch {
        issues.push({ path: `r[${i}]`, message: "is not JSON" });
      }
    });
  }
  return { draft, issues };
}

/** One validated RaceSpec per racer, or the issues of each racer (paths under `racers[i]`). */
export function raceSpecs(draft: RaceDraft): { specs: RaceSpec[] | null; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const specs = draft.racers.map((racer, i) => {
    try {
      return parseRaceSpec({ function: draft.function, start: draft.start, steps: draft.steps, ...racer });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) {
        const shared = /^(function|start|steps)/.test(issue.path);
        if (!shared) issues.push({ path: `racers[${i}].${issue.path}`, message: issue.message });
        else if (i === 0) issues.push(issue);
      }
      return null;
    }
  });
  return { specs: specs.every((s) => s !== null) ? specs : null, issues };
}
