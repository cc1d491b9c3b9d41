/**
 * The web app's one database connection, opened on first use (never at build time) and kept on
 * globalThis so dev-mode reloads reuse it instead of leaking pools.
 */
import type { Db } from "~/db/client";
import { connectDatabase, type Connection } from "~/db/connect";

const holder = globalThis as unknown as { lrlabWebDb?: Promise<Connection> };

export function getConnection(): Promise<Connection> {
  holder.lrlabWebDb ??= connectDatabase({ applicationName: "lrlab-web", poolMax: 6 }).catch((error: unknown) => {
    holder.lrlabWebDb = undefined; // let the next request try again
    throw error;
  });
  return holder.lrlabWebDb;
}

export async function getDb(): Promise<Db> {
  return (await getConnection()).db;
}
