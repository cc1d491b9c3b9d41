/**
 * How a process finds the embedded server another process runs for a data directory: the lock
 * file says who serves it and on which port, the credentials file holds the password.
 */
import { embeddedUrl } from "../config";
import { readCredentials } from "./credentials";
import { isAlive, readLock } from "./lockFile";

export interface RunningServer {
  pid: number;
  port: number;
  /** Includes the password: mask it (redactUrl) before printing. */
  url: string;
}

/** The live server for `dataDir`, or null when none is listening (yet). */
export function runningServer(dataDir: string, defaultHost: string): RunningServer | null {
  const lock = readLock(dataDir);
  if (!lock || lock === "starting" || lock.port === null || !isAlive(lock.pid)) return null;
  const credentials = readCredentials(dataDir);
  if (!credentials) throw new Error(`the embedded database ${dataDir} is running but its credentials file is missing`);
  return { pid: lock.pid, port: lock.port, url: embeddedUrl(lock.host ?? defaultHost, lock.port, credentials.password) };
}
