/**
 * A fresh, migrated database per test file, on either target, so the same suites run on both:
 * - "postgres": a uniquely named database created from TEST_DATABASE_URL (default the local
 *   server's `test` database) and dropped afterwards;
 * - "pglite": an embedded server in this process on a throwaway database; child processes reach
 *   it through its URL exactly as they would reach Postgres.
 * LRLAB_TEST_DB=pglite|postgres limits a run to one target.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDbClient, type DbClient } from "../client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../embedded/server";
import { migrateUrl } from "../migrate";

export const TEST_DB_TARGETS = ["pglite", "postgres"] as const;
export type TestDbTarget = (typeof TEST_DB_TARGETS)[number];

export function testDbTargets(env: Readonly<Record<string, string | undefined>> = process.env): TestDbTarget[] {
  const only = env.LRLAB_TEST_DB?.trim();
  if (!only) return [...TEST_DB_TARGETS];
  if (!TEST_DB_TARGETS.includes(only as TestDbTarget))
    throw new Error(`LRLAB_TEST_DB: must be one of ${TEST_DB_TARGETS.join(", ")}, got '${only}'`);
  return [only as TestDbTarget];
}

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase extends DbClient {
  target: TestDbTarget;
  embedded?: EmbeddedDatabase;
  /** Closes the pool and drops the database (or stops the embedded server). */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  poolMax?: number;
  maxConnections?: number;
  /** pglite: a data directory instead of memory (it is not removed). */
  dataDir?: string;
}

export async function createTestDatabase(target: TestDbTarget, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (target === "pglite") {
    const embedded = await startEmbeddedDatabase({ dataDir: options.dataDir ?? "memory://", maxConnections: options.maxConnections ?? 64 });
    const client = createDbClient(embedded.url, { max: options.poolMax ?? 4 });
    return {
      ...client,
      target,
      embedded,
      drop: async () => {
        await client.close();
        await embedded.stop();
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `no PostgreSQL server reachable at ${base} (${(error as Error).message}); start one or set TEST_DATABASE_URL, or run with LRLAB_TEST_DB=pglite`,
    );
  }
  const name = `lrlab_test_${randomBytes(6).toString("hex")}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrateUrl(url.toString());
  const client = createDbClient(url.toString(), { max: options.poolMax ?? 4 });
  return {
    ...client,
    target,
    drop: async () => {
      await client.close();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
