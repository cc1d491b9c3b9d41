/**
 * One process at a time may open a PGlite data directory (two would corrupt it). The lock file
 * `<dataDir>.lock` is created exclusively and doubles as discovery: once the owner listens, it
 * records the port, and other processes connect there instead of opening the directory.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const lockInfoSchema = z.object({
  pid: z.number().int(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  startedAt: z.string(),
});
export type LockInfo = z.output<typeof lockInfoSchema>;

export function lockPath(dataDir: string): string {
  return `${dataDir}.lock`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's content, or null when there is none; a half-written file reads as "starting". */
export function readLock(dataDir: string): LockInfo | "starting" | null {
  let text: string;
  try {
    text = fs.readFileSync(lockPath(dataDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    return lockInfoSchema.parse(JSON.parse(text));
  } catch {
    return "starting";
  }
}

export type Acquired = { owned: true; release(): void; publish(host: string, port: number): void } | { owned: false; holder: LockInfo };

/**
 * Takes the lock, or reports the live process holding it. A lock left by a dead process is broken
 * under a second short-lived lock, so two processes finding the same stale lock cannot both win.
 */
export function acquireLock(dataDir: string): Acquired {
  const file = lockPath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 50; attempt++) {
    const info: LockInfo = { pid: process.pid, host: null, port: null, startedAt: new Date().toISOString() };
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx" });
      return ownedLock(file, info);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLock(dataDir);
    if (holder === "starting") {
      if (isStale(file, 5_000)) breakStale(dataDir, null);
      else sleepSync(50);
      continue;
    }
    if (holder && isAlive(holder.pid)) return { owned: false, holder };
    if (holder) breakStale(dataDir, holder.pid);
  }
  throw new Error(`could not take the database lock ${file}; if no lrlab process is running, delete it`);
}

function ownedLock(file: string, info: LockInfo): Acquired {
  return {
    owned: true,
    publish(host, port) {
      // Write-then-rename so a reader never sees a half-written file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ ...info, host, port }));
      fs.renameSync(tmp, file);
    },
    release() {
      try {
        const current = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown };
        if (current.pid === process.pid) fs.unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

function breakStale(dataDir: string, stalePid: number | null): void {
  const file = lockPath(dataDir);
  const breaker = `${file}.break`;
  try {
    fs.writeFileSync(breaker, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Someone else is breaking it; a breaker older than a few seconds belongs to a dead process.
    if (isStale(breaker, 5_000)) fs.rmSync(breaker, { force: true });
    else sleepSync(50);
    return;
  }
  try {
    const again = readLock(dataDir);
    const stillStale = again === null ? false : again === "starting" ? stalePid === null : again.pid === stalePid;
    if (stillStale) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function isStale(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
