/** Where the database is, from the environment. One place, so every process agrees. */
import path from "node:path";
import { integerFromEnv } from "../training/validation";

export interface DbEnv {
  /** A real Postgres; when unset, the embedded PGlite server is used. */
  databaseUrl?: string;
  /** PGlite data directory (LRLAB_DB_DIR, default ./.data/db). */
  dataDir: string;
  host: string;
  /** Embedded server port (LRLAB_DB_PORT); 0 picks a free one, recorded in the lock file. */
  port: number;
  /** Embedded server connection limit: all processes' pools together must fit under it. */
  maxConnections: number;
}

export function dbEnv(env: Readonly<Record<string, string | undefined>> = process.env): DbEnv {
  const url = env.DATABASE_URL?.trim();
  return {
    ...(url ? { databaseUrl: url } : {}),
    // Chosen at run time: keep the file tracer of `output: "standalone"` from packing the whole project.
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.LRLAB_DB_DIR?.trim() || path.join(".data", "db")),
    host: "127.0.0.1",
    port: intEnv(env, "LRLAB_DB_PORT", 0, 0, 65535),
    maxConnections: intEnv(env, "LRLAB_DB_MAX_CONNECTIONS", 64, 1, 10_000),
  };
}

export function intEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = integerFromEnv(env[name], fallback, min, max);
  if (typeof value !== "number") throw new Error(`${name}: ${value.error}`);
  return value;
}

/** The URL `pg` uses to reach an embedded server. */
export function embeddedUrl(host: string, port: number): string {
  return `postgres://postgres@${host}:${port}/postgres`;
}
