import { UsageError, type CliCommand } from "../../../training/cli/command";

export const cancelCommand: CliCommand = {
  name: "cancel",
  summary: "Cancel a queued or running run (its worker stops within a batch); prints the run as JSON",
  usage: "cancel <run id>",
  allowPositionals: true,
  options: {},
  async run(_values, positionals) {
    if (positionals.length !== 1) throw new UsageError("cancel: expects exactly one run id");
    const { cancelRun, parseRunId, RunNotFoundError } = await import("../../queue/service");
    const { withDatabase } = await import("./database");
    const runId = parseRunId(positionals[0]!);
    const { run, canceled } = await withDatabase((db) => cancelRun(db, runId)).catch((error: unknown) => {
      if (error instanceof RunNotFoundError) throw new UsageError(error.message);
      throw error;
    });
    if (!canceled) process.stderr.write(`run ${run.id} had already ended (${run.status})\n`);
    process.stdout.write(JSON.stringify({ run }) + "\n");
    return 0;
  },
};
