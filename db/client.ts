/** A drizzle database over a `pg` pool: the same for Postgres and the embedded PGlite server. */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;

export interface DbClient {
  db: Db;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/**
 * `max` is small on purpose: the embedded server refuses connections beyond its limit rather than
 * queueing them, so every process's pool has to fit.
 */
export function createDbClient(url: string, options: { max?: number; applicationName?: string } = {}): DbClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 15_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", (error) => {
    process.stderr.write(`database: idle connection lost: ${error.message}\n`);
  });
  // Nor may a checked-out one (pg-pool listens only while a client is idle, so a server restart
  // during a transaction raised an unhandled 'error' event): its next query fails instead, and the
  // pool discards it on release and connects afresh.
  pool.on("connect", (client) => client.on("error", () => {}));
  let closed: Promise<void> | undefined;
  return {
    db: drizzle(pool, { schema }),
    pool,
    url,
    close: () => (closed ??= pool.end()),
  };
}
