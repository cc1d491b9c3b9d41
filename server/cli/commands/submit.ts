import { requireString, type CliCommand } from "../../../training/cli/command";
import { readJsonOption } from "../../../training/cli/json";

export const submitCommand: CliCommand = {
  name: "submit",
  summary: "Validate a run config and queue it; prints the run id",
  usage: "submit --config '<json>'|FILE [--comparison ID] [--owner ID]",
  options: {
    config: { type: "string" },
    comparison: { type: "string" },
    owner: { type: "string" },
  },
  async run(values) {
    const config = await readJsonOption("config", requireString(values, "config"));
    const comparisonId = typeof values.comparison === "string" ? values.comparison : undefined;
    const owner = typeof values.owner === "string" ? values.owner : undefined;
    // Validate before touching the database, so bad input never waits on a connection.
    const { parseRunConfig } = await import("../../../training/config");
    parseRunConfig(config);
    const { withDatabase } = await import("./database");
    const { submitRun } = await import("../../queue/service");
    const run = await withDatabase((db) =>
      submitRun(db, { config, ...(comparisonId !== undefined ? { comparisonId } : {}), ...(owner !== undefined ? { owner } : {}) }),
    );
    process.stdout.write(`${run.id}\n`);
    return 0;
  },
};
