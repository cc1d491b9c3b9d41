/**
 * The whole app for end-to-end tests and the bundle benchmark: a throwaway embedded database in
 * this process, the web server (server/http/main.ts over the production build in .next) and optionally a worker, each a
 * child process in its own process group so stopping kills everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startEmbeddedDatabase } from "../../db/embedded/server";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Stack {
  url: string;
  databaseUrl: string;
  /** Everything the web app and worker printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  worker?: boolean;
  /** Extra environment for the web app (quotas, …). */
  env?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

function spawnChild(name: string, args: string[], env: NodeJS.ProcessEnv, log: string[]): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => log.push(`[${name}] ${chunk.toString()}`));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { name, process: child, exited };
}

/** SIGTERM to the child's process group, SIGKILL if it lingers. */
async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const pid = child.process.pid!;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

async function waitForHttp(url: string, timeoutMs: number, isDead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error("the web app exited while starting");
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const log: string[] = [];
  const embedded = await startEmbeddedDatabase({ dataDir: "memory://", maxConnections: 32 });
  const children: Child[] = [];
  try {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: embedded.url,
      BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
      BETTER_AUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    };
    const web = spawnChild("web", ["--import", "tsx", "server/http/main.ts", "--port", String(port), "--hostname", "127.0.0.1"], env, log);
    children.push(web);
    await waitForHttp(`${url}/sign-in`, 60_000, () => web.process.exitCode !== null);
    if (options.worker) {
      children.push(
        spawnChild("worker", ["--import", "tsx", "server/cli/main.ts", "worker", "--poll-ms", "200", "--heartbeat-ms", "500"], env, log),
      );
    }
    return {
      url,
      databaseUrl: embedded.url,
      logs: () => log.join(""),
      stop: async () => {
        // The worker first (it may be mid-run), then the web app, then the database under them.
        for (const child of [...children].reverse()) await stopChild(child);
        await embedded.stop();
      },
    };
  } catch (error) {
    for (const child of [...children].reverse()) await stopChild(child);
    await embedded.stop();
    throw new Error(`${(error as Error).message}\n${log.join("")}`);
  }
}

/** Signs a new user up through the auth endpoint; returns the session cookie header. */
export async function signUp(url: string, name: string, email: string, password = "correct horse battery"): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ name, email, password }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!cookie) throw new Error("sign-up set no session cookie");
  return cookie.split(";")[0]!;
}

/** Calls a tRPC mutation over HTTP as the tRPC client would (superjson envelope). */
export async function trpcMutation<T>(url: string, path: string, input: unknown, cookie: string): Promise<T> {
  const response = await fetch(`${url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: url },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!body.result) throw new Error(`${path} failed: ${response.status} ${body.error?.json.message ?? ""}`);
  return body.result.data.json;
}
