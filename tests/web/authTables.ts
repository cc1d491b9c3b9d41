/**
 * Creates better-auth's tables from db/auth-schema.ts when the database lacks them (until they
 * join db/migrations). The SQL comes from drizzle-kit's own differ, so it cannot drift.
 */
import { sql } from "drizzle-orm";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { account, session, user, verification } from "../../db/auth-schema";
import type { Db } from "../../db/client";

export async function ensureAuthTables(db: Db): Promise<void> {
  const { rows } = await db.execute<{ present: string | null }>(sql`select to_regclass('public.user')::text as present`);
  if (rows[0]?.present) return;
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ user, session, account, verification }));
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}
