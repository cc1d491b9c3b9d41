/**
 * `npm start`: the embedded database (unless DATABASE_URL points at a server), migrations, the
 * web app (built on first start) and one worker, as child processes of this one. A child that
 * dies is restarted after a backoff (1 s, doubling to 30 s; reset once it has run 30 s); the
 * others ride out its absence (a restarted database comes back on its port with its password).
 * Only Ctrl-C (or SIGTERM) stops everything, in dependency order: the worker first (it
 * checkpoints and releases its run), then the web app, then the database. A second Ctrl-C after
 * a second kills whatever is left. If this process itself dies, each child notices within a
 * second (scripts/exit-with-parent.mjs) and stops.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { dbEnv } from "../db/config";
import { isAlive, readLock } from "../db/embedded/lockFile";
import { migrateUrl } from "../db/migrate";
import { prepareCifar10 } from "../training/data/node";

const GUARD = ["--import", pathToFileURL("scripts/exit-with-parent.mjs").href];
const CLI = [process.execPath, ...GUARD, "--import", "tsx", "server/cli/main.ts"];
const NEXT = [process.execPath, "node_modules/next/dist/bin/next"];
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A child that ran this long before dying starts its backoff afresh. */
const STABLE_MS = 30_000;
const PORT = process.env.PORT ?? "3000";

interface Spec {
  name: string;
  argv: string[];
  onLine?: (line: string) => void;
}

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number>;
}

/** The current process of each child, in start order. */
const children = new Map<string, Child>();
/** Consecutive quick deaths per child, for the backoff. */
const deaths = new Map<string, number>();
const restarts = new Set<NodeJS.Timeout>();

/**
 * Children get their own process group, so a terminal's Ctrl-C reaches them only through us, once.
 * LRLAB_SUPERVISOR_PID names us to their preloaded guard, which stops them once we are gone.
 */
function start(spec: Spec): Child {
  const { name, argv, onLine } = spec;
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, LRLAB_SUPERVISOR_PID: String(process.pid) },
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      process.stdout.write(`[${name}] ${line}\n`);
      onLine?.(line);
    });
  }
  process.stdout.write(`started ${name} (pid ${child.pid})\n`);
  const startedAt = Date.now();
  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const entry = { name, process: child, exited };
  children.set(name, entry);
  void exited.then((code) => {
    if (!stopping) restartLater(spec, code, Date.now() - startedAt);
  });
  return entry;
}

function restartLater(spec: Spec, code: number, ranMs: number): void {
  const n = ranMs >= STABLE_MS ? 0 : (deaths.get(spec.name) ?? 0);
  deaths.set(spec.name, n + 1);
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** n);
  process.stdout.write(`${spec.name} exited unexpectedly (${code}); restarting it in ${delay / 1000} s\n`);
  const timer = setTimeout(() => {
    restarts.delete(timer);
    if (!stopping) start(spec);
  }, delay);
  restarts.add(timer);
}

/** Starts `db serve` and resolves with its URL once it listens (it has migrated by then). */
function startDatabase(): Promise<string> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const db = start({
      name: "db",
      argv: [...CLI, "db", "serve"],
      onLine: (line) => {
        const match = /^database ready at (\S+)/.exec(line);
        if (match && !ready) {
          ready = true;
          resolve(match[1]!);
        }
      },
    });
    // The first start failing (the directory is served by someone else, …) is not worth retrying.
    void db.exited.then((code) => {
      if (!ready) {
        stopping = true;
        reject(new Error(`the database process exited (${code}) before it was ready`));
      }
    });
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
  for (const timer of restarts) clearTimeout(timer);
  // Reverse start order: worker, web app, database last (the others need it to shut down cleanly).
  for (const child of [...children.values()].reverse()) {
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
  for (const child of children.values()) child.process.kill("SIGKILL");
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
  if (haveData) start({ name: "worker", argv: [...CLI, "worker", ...process.argv.slice(2)] });
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
  start({ name: "web", argv: [process.execPath, ...GUARD, "--import", "tsx", "server/http/main.ts", "--port", PORT] });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll(1);
});
