import { formatPath, ValidationError } from "../errors";
import type { TimePoint } from "./types";

/**
 * A schedule that is valid as JSON but gives an unusable lr (non-finite or negative) at some
 * step of the run: still bad user input, so a ValidationError, naming the field and the moment.
 */
export class ScheduleRangeError extends ValidationError {
  readonly path: string;
  readonly epoch: number;
  readonly stepInEpoch: number;
  readonly step: number;

  constructor(path: readonly PropertyKey[], reason: string, at: Pick<TimePoint, "runEpoch" | "stepInEpoch" | "stepsPerEpoch">) {
    const step = at.runEpoch * at.stepsPerEpoch + at.stepInEpoch;
    const where = `at epoch ${at.runEpoch}, step ${at.stepInEpoch} (global step ${step})`;
    super([{ path: formatPath(path), message: `${reason}, ${where}` }]);
    this.name = "ScheduleRangeError";
    this.path = formatPath(path);
    this.epoch = at.runEpoch;
    this.stepInEpoch = at.stepInEpoch;
    this.step = step;
  }
}
