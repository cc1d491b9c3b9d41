/**
 * The embedded database: PGlite on a data directory, migrated, served on loopback to `pg` clients.
 * Exactly one process owns a data directory (see lockFile.ts); everything else connects to it.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { embeddedUrl } from "../config";
import { migratePgliteInstance } from "../migrate";
import { loadCredentials, newPassword, rememberPort } from "./credentials";
import { acquireLock, type LockInfo } from "./lockFile";
import { EmbeddedSocketServer, type SocketServerOptions } from "./socketServer";

export interface EmbeddedOptions {
  /** A directory, or "memory://" for a throwaway database (tests) that needs no lock. */
  dataDir: string;
  host?: string;
  /** 0 or unset: the port of the previous start when it is free, else any free port. */
  port?: number;
  maxConnections?: number;
  authTimeoutMs?: number;
  idleInTransactionMs?: number;
  maxMessageBytes?: number;
}

export interface EmbeddedDatabase {
  /** Includes the password: mask it (redactUrl) before printing. */
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
    // memory:// databases (tests) get a password of their own, handed out only through `url`.
    const credentials = memory ? { password: newPassword(), port: null } : loadCredentials(options.dataDir);
    instance = await PGlite.create(options.dataDir);
    await migratePgliteInstance(instance);
    const serverOptions: SocketServerOptions = {
      db: instance,
      host,
      password: credentials.password,
      maxConnections: options.maxConnections ?? 64,
      ...(options.authTimeoutMs !== undefined ? { authTimeoutMs: options.authTimeoutMs } : {}),
      ...(options.idleInTransactionMs !== undefined ? { idleInTransactionMs: options.idleInTransactionMs } : {}),
      ...(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {}),
    };
    const server = await listen(serverOptions, options.port || credentials.port || 0, !options.port);
    if (!memory) rememberPort(options.dataDir, credentials, server.port);
    if (lock?.owned) lock.publish(host, server.port);
    const db = instance;
    let stopped: Promise<void> | undefined;
    return {
      url: embeddedUrl(host, server.port, credentials.password),
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

/**
 * Listens on `port`; a remembered port (`fallback`) that something else took meanwhile gives way
 * to a free one, which clients find through the lock file as before.
 */
async function listen(options: SocketServerOptions, port: number, fallback: boolean): Promise<EmbeddedSocketServer> {
  const server = new EmbeddedSocketServer({ ...options, port });
  try {
    await server.start();
    return server;
  } catch (error) {
    if (!fallback || port === 0 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    const elsewhere = new EmbeddedSocketServer({ ...options, port: 0 });
    await elsewhere.start();
    return elsewhere;
  }
}
