/**
 * The embedded database: PGlite on a data directory, migrated, served on loopback to `pg` clients.
 * Exactly one process owns a data directory (see lockFile.ts); everything else connects to it.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { embeddedUrl } from "../config";
import { migratePgliteInstance } from "../migrate";
import { acquireLock, type LockInfo } from "./lockFile";
import { EmbeddedSocketServer } from "./socketServer";

export interface EmbeddedOptions {
  /** A directory, or "memory://" for a throwaway database (tests) that needs no lock. */
  dataDir: string;
  host?: string;
  port?: number;
  maxConnections?: number;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  server: EmbeddedSocketServer;
  stop(): Promise<void>;
}

/** Thrown when another live process already serves the directory: connect to it instead. */
export class DatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(`the database ${dataDir} is already served by process ${holder.pid}${holder.port ? ` on port ${holder.port}` : ""}`);
    this.name = "DatabaseBusyError";
  }
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const memory = options.dataDir.startsWith("memory://");
  const lock = memory ? null : acquireLock(options.dataDir);
  if (lock && !lock.owned) throw new DatabaseBusyError(options.dataDir, lock.holder);
  const host = options.host ?? "127.0.0.1";
  let instance: PGlite | undefined;
  try {
    if (!memory) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    instance = await PGlite.create(options.dataDir);
    await migratePgliteInstance(instance);
    const server = new EmbeddedSocketServer({
      db: instance,
      host,
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? 64,
    });
    await server.start();
    if (lock?.owned) lock.publish(host, server.port);
    const db = instance;
    let stopped: Promise<void> | undefined;
    return {
      url: embeddedUrl(host, server.port),
      port: server.port,
      dataDir: options.dataDir,
      server,
      stop: () =>
        (stopped ??= (async () => {
          try {
            await server.stop();
            await db.close();
          } finally {
            if (lock?.owned) lock.release();
          }
        })()),
    };
  } catch (error) {
    await instance?.close().catch(() => {});
    if (lock?.owned) lock.release();
    throw error;
  }
}
