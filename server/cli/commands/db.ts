import { intOption, UsageError, type CliCommand } from "../../../training/cli/command";
import { onShutdownSignal } from "./signals";

export const dbServeCommand: CliCommand = {
  name: "db serve",
  summary: "Run the embedded database (PGlite) for the other processes until SIGINT/SIGTERM; migrates on start",
  usage: "db serve [--db-dir DIR] [--port N] [--max-connections N]",
  options: {
    "db-dir": { type: "string" },
    port: { type: "string" },
    "max-connections": { type: "string" },
  },
  async run(values) {
    const { dbEnv, redactUrl } = await import("../../../db/config");
    const { embeddedOptions } = await import("../../../db/connect");
    const env = dbEnv();
    if (env.databaseUrl) throw new UsageError("DATABASE_URL is set: the processes use that server, there is nothing to serve");
    const stop = new AbortController();
    const unhook = onShutdownSignal(() => stop.abort());
    const { startEmbeddedDatabase } = await import("../../../db/embedded/server");
    const path = await import("node:path");
    const dataDir = typeof values["db-dir"] === "string" ? path.resolve(values["db-dir"]) : env.dataDir;
    try {
      const embedded = await startEmbeddedDatabase({
        ...embeddedOptions(env),
        dataDir,
        port: intOption(values, "port", 0, 65535) ?? env.port,
        maxConnections: intOption(values, "max-connections", 1, 10_000) ?? env.maxConnections,
      });
      process.stdout.write(`database ready at ${redactUrl(embedded.url)} (data ${dataDir})\n`);
      if (!stop.signal.aborted) await new Promise((resolve) => stop.signal.addEventListener("abort", resolve));
      await embedded.stop();
      process.stdout.write("database stopped\n");
      return 0;
    } finally {
      unhook();
    }
  },
};

export const dbMigrateCommand: CliCommand = {
  name: "db migrate",
  summary: "Apply the database migrations (DATABASE_URL, or the embedded database)",
  usage: "db migrate",
  options: {},
  async run() {
    const { connectDatabase } = await import("../../../db/connect");
    const connection = await connectDatabase({ poolMax: 1 });
    await connection.close();
    process.stdout.write(`migrations applied (${connection.mode === "postgres" ? "DATABASE_URL" : "embedded database"})\n`);
    return 0;
  },
};
