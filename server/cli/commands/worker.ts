import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { intOption, UsageError, type CliCommand } from "../../../training/cli/command";
import { NODE_BACKENDS } from "../../../training/backend/preferences";
import type { RunConfig } from "../../../training/config";
import { createWorkerLog } from "../../../training/worker/log";
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS, DEFAULT_POLL_MS } from "../../../training/worker/worker";
import { onShutdownSignal } from "./signals";

export const workerCommand: CliCommand = {
  name: "worker",
  summary:
    "Claim queued runs and train them, storing every epoch (queued LR tests first); SIGTERM/SIGINT checkpoints, releases the run and exits 0",
  usage:
    "worker [--backend auto|tensorflow|wasm|cpu] [--once] [--poll-ms N] [--lease-ms N] [--heartbeat-ms N] [--no-reuse] [--data-dir DIR]",
  options: {
    backend: { type: "string", default: "auto" },
    once: { type: "boolean", default: false },
    "poll-ms": { type: "string" },
    "lease-ms": { type: "string" },
    "heartbeat-ms": { type: "string" },
    "no-reuse": { type: "boolean", default: false },
    "data-dir": { type: "string" },
  },
  async run(values) {
    const backendChoice = NODE_BACKENDS.safeParse(values.backend);
    if (!backendChoice.success) throw new UsageError(`--backend: must be one of ${NODE_BACKENDS.options.join(", ")}`);
    const pollMs = intOption(values, "poll-ms", 10, 3_600_000) ?? DEFAULT_POLL_MS;
    const leaseMs = intOption(values, "lease-ms", 200, 3_600_000) ?? DEFAULT_LEASE_MS;
    const heartbeatMs = intOption(values, "heartbeat-ms", 10, 3_600_000) ?? Math.min(DEFAULT_HEARTBEAT_MS, Math.floor(leaseMs / 3));
    if (heartbeatMs >= leaseMs) throw new UsageError("--heartbeat-ms: must be shorter than --lease-ms");
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;

    // Signals first: a SIGTERM during start-up must not kill the process with a run half-claimed.
    const shutdown = new AbortController();
    const log = createWorkerLog(process.stdout);
    const unhook = onShutdownSignal((signal) => {
      log.line(`${signal}: finishing the current batch, then checkpointing and releasing the run`);
      shutdown.abort();
    });

    const { connectDatabase } = await import("../../../db/connect");
    const { createPgRunQueue } = await import("../../queue/pgRunQueue");
    const { withReconnectRetry } = await import("../../../db/reconnect");
    const { createPgLrTestQueue } = await import("../../queue/pgLrTestQueue");
    const { lrFind } = await import("../../../training/lrFind/run");
    const { initNodeBackend } = await import("../../../training/backend/node");
    const { loadCifar10 } = await import("../../../training/data/node");
    const { train } = await import("../../../training/trainer/train");
    const { runWorker } = await import("../../../training/worker/worker");
    const { nodeTrainerVersion } = await import("../../../training/version/node");

    const backend = await initNodeBackend(backendChoice.data);
    const trainerVersion = await nodeTrainerVersion(backend.name);
    const connection = await connectDatabase({ poolMax: 2, applicationName: "lrlab-worker" });
    const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    try {
      log.line(
        `worker ${workerId} ready: backend ${backend.detail}, trainer version ${trainerVersion}, ${connection.mode === "postgres" ? "database at DATABASE_URL" : "embedded database"}` +
          (connection.embedded ? " (started by this worker)" : ""),
      );
      const report = await runWorker(
        {
          // A database restart is waited out, not a reason to drop the run. Past the lease too:
          // every write is fenced on the claim, so a late one can only fail, never clobber.
          queue: withReconnectRetry(createPgRunQueue(connection.db), {
            maxMs: Math.max(leaseMs, 60_000),
            signal: shutdown.signal,
            onRetry: (error, ms) => log.line(`database unreachable (${error.message}); retrying in ${ms} ms`),
          }),
          train,
          loadData: lastDataLoader((config) => loadCifar10({ dataDir, trainLimit: config.trainLimit, testLimit: config.testLimit })),
          log,
          lrTests: { queue: createPgLrTestQueue(connection.db), find: lrFind },
        },
        {
          workerId,
          backend: backend.name,
          trainerVersion,
          leaseMs,
          heartbeatMs,
          pollMs,
          once: values.once === true,
          reuse: values["no-reuse"] !== true,
          signal: shutdown.signal,
        },
      );
      log.line(`worker ${workerId} stopped after ${report.runs.length} run(s)`);
      return 0;
    } finally {
      unhook();
      await connection.close();
    }
  },
};

/** Runs in a row usually share their data limits, so the last load is kept. */
function lastDataLoader<T>(load: (config: RunConfig) => Promise<T>): (config: RunConfig) => Promise<T> {
  let last: { key: string; data: Promise<T> } | undefined;
  return (config) => {
    const key = `${config.trainLimit ?? "all"}/${config.testLimit ?? "all"}`;
    if (last?.key !== key) {
      const data = load(config);
      data.catch(() => (last = undefined));
      last = { key, data };
    }
    return last.data;
  };
}
