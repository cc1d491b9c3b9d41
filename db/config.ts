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
  /** Embedded server: how long a connection may take to authenticate (LRLAB_DB_AUTH_TIMEOUT_MS). */
  authTimeoutMs: number;
  /** Embedded server: how long a session may sit idle in a transaction or mid extended query (LRLAB_DB_IDLE_TIMEOUT_MS). */
  idleInTransactionMs: number;
  /** Embedded server: the largest message accepted (LRLAB_DB_MAX_MESSAGE_BYTES). */
  maxMessageBytes: number;
}

/**
 * The biggest message a client sends is a checkpoint: the seed CNN's 1,250,858 float32 weights
 * plus two optimizer slots (Adam, Adadelta) is 15.0 MB. Twice that leaves room for a bigger model.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export function dbEnv(env: Readonly<Record<string, string | undefined>> = process.env): DbEnv {
  const url = env.DATABASE_URL?.trim();
  return {
    ...(url ? { databaseUrl: url } : {}),
    // Chosen at run time: keep the file tracer of `output: "standalone"` from packing the whole project.
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.LRLAB_DB_DIR?.trim() || path.join(".data", "db")),
    host: "127.0.0.1",
    port: intEnv(env, "LRLAB_DB_PORT", 0, 0, 65535),
    maxConnections: intEnv(env, "LRLAB_DB_MAX_CONNECTIONS", 64, 1, 10_000),
    authTimeoutMs: intEnv(env, "LRLAB_DB_AUTH_TIMEOUT_MS", 5_000, 10, 600_000),
    idleInTransactionMs: intEnv(env, "LRLAB_DB_IDLE_TIMEOUT_MS", 5_000, 10, 3_600_000),
    maxMessageBytes: intEnv(env, "LRLAB_DB_MAX_MESSAGE_BYTES", DEFAULT_MAX_MESSAGE_BYTES, 1 << 20, 1 << 30),
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
export function embeddedUrl(host: string, port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/postgres`;
}

/** A database URL fit for a log line: the password masked. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
