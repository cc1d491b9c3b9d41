/**
 * The web app's one database pool, opened on first use (never at build time) and kept on
 * globalThis so dev-mode reloads reuse it instead of leaking pools.
 *
 * The web app only connects: DATABASE_URL, or the embedded server that `npm start` (or any
 * lrlab process) runs for the data directory. Migrating and starting PGlite stay with those
 * processes, so neither the migrations folder nor PGlite's WebAssembly lands in the Next bundle.
 */
import { createDbClient, type Db, type DbClient } from "../../db/client";
import { dbEnv, type DbEnv } from "../../db/config";
import { runningServer } from "../../db/embedded/discovery";

const holder = globalThis as unknown as { lrlabWebDb?: Promise<DbClient> };

/** How long to wait for an embedded server that is still starting (npm start launches both at once). */
const WAIT_MS = 30_000;

export async function databaseUrl(env: DbEnv = dbEnv(), waitMs = WAIT_MS): Promise<string> {
  if (env.databaseUrl) return env.databaseUrl;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const running = runningServer(env.dataDir, env.host);
    if (running) return running.url;
    if (Date.now() > deadline) {
      throw new Error(
        `no database: DATABASE_URL is unset and no embedded database is running for ${env.dataDir}. ` +
          "Start everything with `npm start`, or set DATABASE_URL.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function getConnection(): Promise<DbClient> {
  holder.lrlabWebDb ??= databaseUrl()
    .then((url) => createDbClient(url, { max: 6, applicationName: "lrlab-web" }))
    .catch((error: unknown) => {
      holder.lrlabWebDb = undefined; // let the next request try again
      throw error;
    });
  return holder.lrlabWebDb;
}

export async function getDb(): Promise<Db> {
  return (await getConnection()).db;
}
