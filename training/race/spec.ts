import { z } from "zod";
import { checkMomentumCycling } from "../momentumCycling";
import { ValidationError, zodIssues } from "../errors";
import { optimizerSpecSchema } from "../optimizers/spec";
import { checkScheduleOverRun } from "../schedules/scheduler";
import { scheduleSpecSchema } from "../schedules/spec";
import { RACE_FUNCTIONS } from "./functions";

const MAX_RACE_STEPS = 10_000;
const coordinate = z
  .number()
  .refine(Number.isFinite, "must be finite")
  .refine((v) => Math.abs(v) <= 100, "must be within ±100");

/** One racer: an optimizer and its schedule from a start point on a function, for `steps` steps. */
export const raceSpecSchema = z.strictObject({
  function: z.enum(RACE_FUNCTIONS, { error: `must be one of ${RACE_FUNCTIONS.join(", ")}` }),
  start: z.tuple([coordinate, coordinate], { error: "must be two numbers x,y" }),
  steps: z.number().int("must be an integer").min(1, "must be ≥ 1").max(MAX_RACE_STEPS, `must be ≤ ${MAX_RACE_STEPS}`),
  optimizer: optimizerSpecSchema,
  schedule: scheduleSpecSchema,
});
export type RaceSpec = z.output<typeof raceSpecSchema>;
export type RaceInput = z.input<typeof raceSpecSchema>;

/** Validates a race from any door; the schedule must stay finite and ≥ 0 over epochs = steps, one step each. */
export function parseRaceSpec(input: unknown): RaceSpec {
  const parsed = raceSpecSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error));
  const issues = [
    ...checkMomentumCycling(parsed.data),
    ...checkScheduleOverRun(parsed.data.schedule, { epochs: parsed.data.steps, stepsPerEpoch: 1 }),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  return parsed.data;
}
