/**
 * Runs `lrlab` commands as real child processes for the service tests. `node --import tsx`
 * (not the tsx wrapper) so the pid is the command itself: `kill -9` must hit the worker.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { testDataDir } from "../../training/testing/dataDir";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr lines as they arrive. */
  out: string[];
  err: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line (past or future) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const running = new Set<ChildProcess>();

/** Environment for a child: the test database, the shared test CIFAR-10 cache, nothing inherited that points elsewhere. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LRLAB_DATA_DIR: path.resolve(ROOT, testDataDir()) };
  delete env.DATABASE_URL;
  delete env.LRLAB_DB_DIR;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  return startScript("server/cli/main.ts", args, env);
}

/** Any TypeScript entry point of the repository (e.g. scripts/start.ts) as a child process. */
export function startScript(file: string, args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  const out: string[] = [];
  const err: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    out.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr }).on("line", (line) => err.push(line));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    out,
    err,
    exit,
    waitFor(pattern, timeoutMs = 60_000) {
      const seen = out.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${out.join("\n")}\nstderr:\n${err.join("\n")}`)),
          timeoutMs,
        );
        const done = (line: string) => {
          clearTimeout(timer);
          resolve(line);
        };
        waiters.push({ pattern, resolve: done });
        void exit.then(() => {
          if (waiters.some((w) => w.resolve === done)) {
            clearTimeout(timer);
            reject(new Error(`exited before a line matching ${pattern}; stdout:\n${out.join("\n")}\nstderr:\n${err.join("\n")}`));
          }
        });
      });
    },
  };
}

/** Runs a command to completion. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string[]; err: string[] }> {
  const p = startCli(args, env);
  const { code } = await p.exit;
  // Let readline flush the last lines.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, out: p.out, err: p.err };
}

/** For afterAll: no test leaves a process behind, whatever failed. */
export async function killAll(): Promise<void> {
  const exits = [...running].map(
    (child) =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGKILL");
      }),
  );
  await Promise.all(exits);
}

export async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A port nothing listens on (the OS picks it; we close it again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
