import { initRaceBackend } from "../../race/backend";
import { runRace } from "../../race/race";
import { parseRaceSpec } from "../../race/spec";
import { requireString, UsageError, type CliCommand } from "../command";
import { readJsonOption } from "../json";

export const raceCommand: CliCommand = {
  name: "race",
  summary: 'Run an optimizer on a 2-D test function: {"x": [...], "y": [...], "loss": [...]}, N+1 points',
  usage: "race --function rosenbrock|beale|quadratic --start X,Y --steps N --optimizer '<json>' --schedule '<json>'",
  options: {
    function: { type: "string" },
    start: { type: "string" },
    steps: { type: "string" },
    optimizer: { type: "string" },
    schedule: { type: "string" },
  },
  async run(values) {
    const spec = parseRaceSpec({
      function: requireString(values, "function"),
      start: parseStart(requireString(values, "start")),
      steps: Number(requireString(values, "steps")),
      optimizer: await readJsonOption("optimizer", requireString(values, "optimizer")),
      schedule: await readJsonOption("schedule", requireString(values, "schedule")),
    });
    await initRaceBackend();
    process.stdout.write(JSON.stringify(runRace(spec)) + "\n");
    return 0;
  },
};

function parseStart(text: string): [number, number] {
  const parts = text.split(",").map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === "") || numbers.some((n) => !Number.isFinite(n)))
    throw new UsageError(`--start: must be two finite numbers X,Y (got '${text}')`);
  return [numbers[0]!, numbers[1]!];
}
