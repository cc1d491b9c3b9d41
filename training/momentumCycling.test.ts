import { describe, expect, it } from "vitest";
import { parseRunConfig, type RunConfigInput } from "./config";
import { ValidationError } from "./errors";

const config = (optimizer: RunConfigInput["optimizer"], schedule: RunConfigInput["schedule"]): RunConfigInput => ({
  epochs: 4,
  batchSize: 64,
  optimizer,
  schedule,
});

function issuesOf(input: RunConfigInput): string[] {
  try {
    parseRunConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
}

const oneCycle = { kind: "oneCycle", maxLr: 0.1, cycleMomentum: true } as const;

describe("run config: momentum cycling needs a momentum to cycle", () => {
  it.each(["adagrad", "adadelta", "rmsprop"] as const)("rejects %s, naming the field", (kind) => {
    expect(issuesOf(config({ kind }, oneCycle))).toEqual([`schedule.cycleMomentum: optimizer ${kind} has no momentum or β1 to cycle`]);
  });

  it("names each cycling part inside a sequence", () => {
    const schedule: RunConfigInput["schedule"] = {
      kind: "sequence",
      parts: [
        { epochs: 2, schedule: { kind: "cyclic", baseLr: 0.01, maxLr: 0.1, cycleMomentum: true } },
        { schedule: { kind: "oneCycle", maxLr: 0.1 } },
      ],
    };
    expect(issuesOf(config({ kind: "adagrad" }, schedule))).toEqual([
      "schedule.parts[0].schedule.cycleMomentum: optimizer adagrad has no momentum or β1 to cycle",
    ]);
  });

  it("accepts SGD's momentum and the β1 of Adam and Adamax, and no cycling with any optimizer", () => {
    for (const kind of ["sgd", "adam", "adamax"] as const) expect(issuesOf(config({ kind }, oneCycle))).toEqual([]);
    expect(issuesOf(config({ kind: "adagrad" }, { ...oneCycle, cycleMomentum: false }))).toEqual([]);
  });
});
