/**
 * How every process reaches the database: DATABASE_URL when set (migrated here, under a lock);
 * otherwise the embedded server that is already running for the data directory, or, when none
 * runs, one started in this process for its own lifetime.
 */
import { createDbClient, type DbClient } from "./client";
import { dbEnv, redactUrl, type DbEnv } from "./config";
import { runningServer } from "./embedded/discovery";
import { isAlive, readLock } from "./embedded/lockFile";
import { DatabaseBusyError, startEmbeddedDatabase, type EmbeddedDatabase, type EmbeddedOptions } from "./embedded/server";
import { migrateUrl } from "./migrate";

export interface Connection extends DbClient {
  /** "postgres" for DATABASE_URL; "embedded" when connected to (or running) the PGlite server. */
  mode: "postgres" | "embedded";
  /** Set when this process started the embedded server; closing the connection stops it. */
  embedded?: EmbeddedDatabase;
}

export interface ConnectOptions {
  env?: DbEnv;
  poolMax?: number;
  applicationName?: string;
  /** How long to wait for an embedded server that another process is starting. */
  waitMs?: number;
  /** When this process started the server: how long closing waits for other processes' connections. */
  lingerMs?: number;
}

export async function connectDatabase(options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? dbEnv();
  const clientOptions = { max: options.poolMax ?? 4, ...(options.applicationName ? { applicationName: options.applicationName } : {}) };
  if (env.databaseUrl) {
    await migrateUrl(env.databaseUrl).catch((error: unknown) => {
      throw new Error(`cannot reach the database at DATABASE_URL (${redactUrl(env.databaseUrl!)}): ${(error as Error).message}`);
    });
    return { ...createDbClient(env.databaseUrl, clientOptions), mode: "postgres" };
  }
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    const found = await findOrStartEmbedded(env, deadline);
    if (typeof found !== "string") {
      const client = createDbClient(found.url, clientOptions);
      return {
        ...client,
        mode: "embedded",
        embedded: found,
        close: async () => {
          await client.close();
          await lingerForGuests(found, options.lingerMs ?? 10_000);
          await found.stop();
        },
      };
    }
    const client = createDbClient(found, clientOptions);
    try {
      await client.pool.query("select 1");
      return { ...client, mode: "embedded" };
    } catch (error) {
      // The owner stopped between publishing its port and our connecting: look again.
      await client.close();
      if (Date.now() > deadline || !isConnectionRefused(error)) throw error;
    }
  }
}

/**
 * A process that started the database for itself may be serving others that found it meanwhile
 * (two commands run at once): it waits for them to disconnect, up to a limit, before stopping.
 */
async function lingerForGuests(embedded: EmbeddedDatabase, lingerMs: number): Promise<void> {
  const until = Date.now() + lingerMs;
  if (embedded.server.connections > 0) {
    process.stderr.write(
      `database: waiting up to ${Math.round(lingerMs / 1000)} s for ${embedded.server.connections} other connection(s) to close\n`,
    );
  }
  while (embedded.server.connections > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "ECONNREFUSED" || code === "ECONNRESET" || /Connection terminated/.test((error as Error).message);
}

/** The URL of the running server for `env.dataDir`, or a server started here. */
async function findOrStartEmbedded(env: DbEnv, deadline: number): Promise<string | EmbeddedDatabase> {
  for (;;) {
    const running = runningServer(env.dataDir, env.host);
    if (running) return running.url;
    const lock = readLock(env.dataDir);
    if (lock === null || (lock !== "starting" && !isAlive(lock.pid))) {
      try {
        return await startEmbeddedDatabase(embeddedOptions(env));
      } catch (error) {
        if (!(error instanceof DatabaseBusyError)) throw error;
        // Another process won the race; wait for it to publish its port.
      }
    }
    if (Date.now() > deadline) {
      const holder = typeof lock === "object" && lock ? ` (process ${lock.pid})` : "";
      throw new Error(`the embedded database ${env.dataDir} is being started by another process${holder} but did not come up in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The embedded server's settings from the environment (`db serve` and commands that start their own). */
export function embeddedOptions(env: DbEnv): EmbeddedOptions {
  const { dataDir, host, port, maxConnections, authTimeoutMs, idleInTransactionMs, maxMessageBytes } = env;
  return { dataDir, host, port, maxConnections, authTimeoutMs, idleInTransactionMs, maxMessageBytes };
}
