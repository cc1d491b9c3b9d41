/** Applies the committed drizzle-kit migrations, on Postgres over `pg` or on PGlite in-process. */
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** Any constant works; it only has to be the same in every process migrating one database. */
const MIGRATION_LOCK = 7_255_017;

/**
 * On a real server several processes may start at once; a session advisory lock on one dedicated
 * connection lets exactly one migrate while the others wait and then find nothing to do.
 */
export async function migrateUrl(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

/** The embedded server migrates its PGlite before it accepts any connection. */
export async function migratePgliteInstance(instance: PGlite): Promise<void> {
  await migratePglite(drizzlePglite(instance), { migrationsFolder: MIGRATIONS_FOLDER });
}
