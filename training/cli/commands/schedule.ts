import { ValidationError } from "../../errors";
import { checkScheduleOverRun, scheduleTable } from "../../schedules/scheduler";
import { parseScheduleSpec } from "../../schedules/spec";
import { intOption, requireString, UsageError, type CliCommand } from "../command";
import { readJsonOption } from "../json";

export const scheduleCommand: CliCommand = {
  name: "schedule",
  summary: 'Print a schedule\'s learning rate (and cycled momentum) for every step: {"lr": [[epoch 0 steps…], …], "momentum"?: […]}',
  usage: "schedule --spec '<json>' --epochs E --steps-per-epoch S [--monitor v0,v1,…]",
  options: {
    spec: { type: "string" },
    epochs: { type: "string" },
    "steps-per-epoch": { type: "string" },
    monitor: { type: "string" },
  },
  async run(values) {
    const spec = parseScheduleSpec(await readJsonOption("spec", requireString(values, "spec")));
    const epochs = intOption(values, "epochs", 1, 100_000) ?? missing("epochs");
    const stepsPerEpoch = intOption(values, "steps-per-epoch", 1, 1_000_000) ?? missing("steps-per-epoch");
    if (epochs * stepsPerEpoch > 10_000_000) throw new UsageError("--epochs × --steps-per-epoch: must be ≤ 10,000,000 values");
    const monitor = parseMonitor(values.monitor, epochs);
    // Monitor values only lower a plateau's lr, so checking the run without them covers every case.
    const issues = checkScheduleOverRun(spec, { epochs, stepsPerEpoch });
    if (issues.length > 0) throw new ValidationError(issues);
    process.stdout.write(JSON.stringify(scheduleTable(spec, { epochs, stepsPerEpoch, monitor })) + "\n");
    return 0;
  },
};

function missing(flag: string): never {
  throw new UsageError(`--${flag}: is required`);
}

function parseMonitor(value: unknown, epochs: number): number[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError("--monitor: needs comma-separated numbers, one per epoch");
  const parts = value.split(",");
  if (parts.length > epochs) throw new UsageError(`--monitor: has ${parts.length} values, at most one per epoch (${epochs})`);
  return parts.map((part, i) => {
    const n = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--monitor: value ${i} ('${part}') is not a finite number`);
    return n;
  });
}
