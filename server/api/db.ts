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

export async function getConnection(): Promise<DbClient> {
  const current = holder.lrlabWebDb;
  if (current) {
    const client = await current.catch(() => null);
    // The pool reconnects by itself after a database restart; only a server that came back
    // elsewhere (its port was taken meanwhile) needs a new pool.
    if (client && !movedFrom(client.url)) return client;
    if (holder.lrlabWebDb === current) {
      holder.lrlabWebDb = undefined;
      void client?.close().catch(() => {});
    }
  }
  holder.lrlabWebDb ??= databaseUrl()
    .then((url) => createDbClient(url, { max: 6, applicationName: "lrlab-web" }))
    .catch((error: unknown) => {
      holder.lrlabWebDb = undefined; // let the next request try again
      throw error;
    });
  return holder.lrlabWebDb;
}

/** True when the embedded server now listens at another URL than `url` (a lock-file read per request). */
function movedFrom(url: string): boolean {
  const env = dbEnv();
  if (env.databaseUrl) return false;
  const running = runningServer(env.dataDir, env.host);
  return running !== null && running.url !== url;
}

export async function getDb(): Promise<Db> {
  return (await getConnection()).db;
}
