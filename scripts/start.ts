/**
 * `npm start`: the embedded database (unless DATABASE_URL points at a server), migrations, the
 * web app (built on first start) and one worker, as child processes of this one. Ctrl-C (or SIGTERM)
 * stops them in dependency order: the worker first (it checkpoints and releases its run), then
 * the web app, then the database. A second Ctrl-C after a second kills whatever is left.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { dbEnv } from "../db/config";
import { isAlive, readLock } from "../db/embedded/lockFile";
import { migrateUrl } from "../db/migrate";
import { prepareCifar10 } from "../training/data/node";

const CLI = [process.execPath, "--import", "tsx", "server/cli/main.ts"];
const NEXT = [process.execPath, "node_modules/next/dist/bin/next"];
const PORT = process.env.PORT ?? "3000";

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number>;
}

const children: Child[] = [];

/** Children get their own process group, so a terminal's Ctrl-C reaches them only through us, once. */
function start(name: string, argv: string[], onLine?: (line: string) => void): Child {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], detached: true, env: process.env });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      process.stdout.write(`[${name}] ${line}\n`);
      onLine?.(line);
    });
  }
  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const entry = { name, process: child, exited };
  children.push(entry);
  void exited.then((code) => {
    if (!stopping) {
      process.stdout.write(`${name} exited unexpectedly (${code}); stopping everything\n`);
      void stopAll(1);
    }
  });
  return entry;
}

/** Starts `db serve` and resolves with its URL once it listens (it has migrated by then). */
function startDatabase(): Promise<string> {
  return new Promise((resolve, reject) => {
    const db = start("db", [...CLI, "db", "serve"], (line) => {
      const match = /^database ready at (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    void db.exited.then((code) => reject(new Error(`the database process exited (${code}) before it was ready`)));
  });
}

let stopping = false;
let stopStarted = 0;
let stopped: Promise<never> | undefined;

function stopAll(code: number): Promise<never> {
  return (stopped ??= stopInOrder(code));
}

async function stopInOrder(code: number): Promise<never> {
  stopping = true;
  stopStarted = Date.now();
  // Reverse start order: worker, web app, database last (the others need it to shut down cleanly).
  for (const child of [...children].reverse()) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGTERM");
    const exit = await child.exited;
    // 143 = ended by our SIGTERM: a clean stop, not a failure.
    if (exit !== 0 && exit !== 143) code = code || exit;
  }
  process.stdout.write(`stopped${code ? ` (exit ${code})` : ""}\n`);
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (!stopping) {
    process.stdout.write(`${signal}: stopping the worker (it checkpoints its run), then the database\n`);
    void stopAll(0);
    return;
  }
  // npm and tsx may relay the same Ctrl-C again; only a later one means "now".
  if (Date.now() - stopStarted < 1000) return;
  process.stdout.write(`${signal} again: killing everything now\n`);
  for (const child of children) child.process.kill("SIGKILL");
  process.exit(130);
}

async function main(): Promise<void> {
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const env = dbEnv();
  let where: string;
  if (env.databaseUrl) {
    await migrateUrl(env.databaseUrl);
    where = "Postgres at DATABASE_URL (migrated)";
  } else {
    const running = readLock(env.dataDir);
    if (running && running !== "starting" && isAlive(running.pid) && running.port !== null) {
      where = `the embedded database already served by process ${running.pid} on port ${running.port}`;
    } else {
      const url = await startDatabase();
      where = `embedded database ${url} (data ${env.dataDir})`;
    }
  }
  const haveData = await prepareData();
  startWeb();
  if (haveData) start("worker", [...CLI, "worker", ...process.argv.slice(2)]);
  const worker = haveData ? "one worker" : "no worker (CIFAR-10 is not prepared, see above)";
  process.stdout.write(`LR Lab is running at http://localhost:${PORT} — ${where}; ${worker}. Ctrl-C stops everything.\n`);
}

/** The worker trains from the prepared cache: prepare it now (instant when already there). */
async function prepareData(): Promise<boolean> {
  try {
    const manifest = await prepareCifar10({});
    process.stdout.write(`CIFAR-10 ready: ${manifest.source.description}\n`);
    return true;
  } catch (error) {
    process.stdout.write(`CIFAR-10 is not prepared, so no worker starts: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
}

/** The production build of the web app (built on first start), served by server/http/main.ts. */
function startWeb(): void {
  if (!existsSync(".next/BUILD_ID")) {
    process.stdout.write("Building the web app (first start only)…\n");
    const build = spawnSync(NEXT[0]!, [...NEXT.slice(1), "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
  }
  process.env.BETTER_AUTH_URL ??= `http://localhost:${PORT}`;
  // Our server around Next's: it rewrites forwarding headers from the socket (server/http/forwarded.ts).
  start("web", [process.execPath, "--import", "tsx", "server/http/main.ts", "--port", PORT]);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll(1);
});
