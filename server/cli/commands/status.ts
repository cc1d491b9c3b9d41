import { intOption, UsageError, type CliCommand } from "../../../training/cli/command";
import { onShutdownSignal } from "./signals";

export const statusCommand: CliCommand = {
  name: "status",
  summary: "Print a run, its epoch metrics and per-step curve as JSON; --watch prints it again on every change until the run ends",
  usage: "status <run id> [--watch] [--interval-ms N]",
  allowPositionals: true,
  options: {
    watch: { type: "boolean", default: false },
    "interval-ms": { type: "string" },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError("status: expects exactly one run id");
    const intervalMs = intOption(values, "interval-ms", 50, 3_600_000) ?? 1000;
    const { parseRunId, getRun, RunNotFoundError } = await import("../../queue/service");
    const { FINAL_STATUSES } = await import("../../../db/schema");
    const { withDatabase } = await import("./database");
    const runId = parseRunId(positionals[0]!);
    const stopped = new AbortController();
    const unhook = onShutdownSignal(() => stopped.abort());
    try {
      return await withDatabase(async (db) => {
        let last = "";
        for (;;) {
          const { run, epochs, steps } = await getRun(db, runId).catch((error: unknown) => {
            if (error instanceof RunNotFoundError) throw new UsageError(error.message);
            throw error;
          });
          const text = JSON.stringify({ run, epochs: epochs.map(({ runId: _, ...m }) => m), steps });
          if (text !== last) process.stdout.write(text + "\n");
          last = text;
          const final = (FINAL_STATUSES as readonly string[]).includes(run.status);
          if (values.watch !== true || final || stopped.signal.aborted) return 0;
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
      });
    } finally {
      unhook();
    }
  },
};
