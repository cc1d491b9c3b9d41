/**
 * `npm start` as a supervisor: each of its children killed with SIGKILL in turn (database, worker,
 * web app) is restarted, and within 30 s the web app serves pages from the database again and the
 * run in training stores its next epoch; every epoch row exists once. When `npm start` itself is
 * killed, its children stop. (Serves the production build: `npm test` builds it first.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { runningServer } from "../../db/embedded/discovery";
import { isAlive } from "../../db/embedded/lockFile";
import { tinyConfig } from "../../server/queue/testRuns";
import { childEnv, freePort, killAll, runCli, startScript, until, type CliProcess } from "./processes";

const RESUME_MS = 30_000;
const EPOCHS = 200;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-supervision-"));
let output: string[] = [];

afterAll(async () => {
  await killAll();
  // Every child npm start ever started, restarts included: none may outlive the test.
  for (const line of output) {
    const pid = Number(/^started \w+ \(pid (\d+)\)$/.exec(line)?.[1]);
    if (pid && isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The pid `npm start` reported for the current process of a child. */
function pidOf(start: CliProcess, name: string): number {
  const lines = start.out.filter((l) => l.startsWith(`started ${name} (pid `));
  return Number(/pid (\d+)/.exec(lines.at(-1)!)![1]);
}

/** The highest epoch of `runId` the worker has reported storing. */
function lastEpoch(start: CliProcess, runId: string): number {
  const pattern = new RegExp(`\\[worker\\] .*run ${runId} epoch (\\d+)/`);
  let last = 0;
  for (const line of start.out) last = Math.max(last, Number(pattern.exec(line)?.[1] ?? 0));
  return last;
}

/** Exited (a zombie waiting for a reaper counts: it runs nothing). */
function gone(pid: number): boolean {
  if (!isAlive(pid)) return true;
  try {
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Training goes on: a later epoch stored, or a worker resuming the run from its checkpoint. */
function trainingAgain(start: CliProcess, runId: string, epochBefore: number, fromLine: number): boolean {
  return (
    lastEpoch(start, runId) > epochBefore || start.out.slice(fromLine).some((l) => l.includes(`resuming run ${runId} from its checkpoint`))
  );
}

describe("npm start supervision", () => {
  it("restarts each child killed with SIGKILL; serving and training resume within 30 s", { timeout: 900_000 }, async () => {
    const dbDir = path.join(tmp, "db");
    const env = childEnv({ LRLAB_DB_DIR: dbDir });
    const port = await freePort();
    const start = startScript("scripts/start.ts", ["--no-reuse", "--poll-ms", "200", "--lease-ms", "8000", "--heartbeat-ms", "1000"], {
      ...env,
      PORT: String(port),
    });
    output = start.out;
    onTestFailed(() => {
      process.stdout.write(`npm start's output (web app lines left out):\n${output.filter((l) => !l.startsWith("[web]")).join("\n")}\n`);
    });
    await start.waitFor(/^LR Lab is running at /, 300_000);
    await start.waitFor(/\[web\] .*Ready/, 300_000);

    const submitted = await runCli(
      ["submit", "--config", JSON.stringify(tinyConfig({ epochs: EPOCHS, trainLimit: 256, testLimit: 64, seed: 5 }))],
      env,
    );
    expect(submitted.code, submitted.err.join("\n")).toBe(0);
    const runId = submitted.out[0]!;
    await until(async () => lastEpoch(start, runId) >= 1, 180_000);

    const serving = async () => (await fetch(`http://localhost:${port}/browse`).catch(() => null))?.status === 200;
    const resumeTimes: Record<string, { serving: number; training: number }> = {};
    for (const name of ["db", "worker", "web"]) {
      const victim = pidOf(start, name);
      const epochBefore = lastEpoch(start, runId);
      const linesBefore = start.out.length;
      const killedAt = Date.now();
      process.kill(victim, "SIGKILL");
      await start.waitFor(new RegExp(`^${name} exited unexpectedly`), 10_000);
      const [served, trained] = await Promise.all([
        until(async () => (await serving()) && Date.now(), RESUME_MS + 30_000, 250),
        until(async () => trainingAgain(start, runId, epochBefore, linesBefore) && Date.now(), RESUME_MS + 30_000, 250),
      ]);
      resumeTimes[name] = { serving: served - killedAt, training: trained - killedAt };
    }
    process.stdout.write(`supervision: ms from SIGKILL to serving / training again: ${JSON.stringify(resumeTimes)}\n`);
    for (const [name, t] of Object.entries(resumeTimes)) {
      expect(t.serving, `${name}: serving`).toBeLessThan(RESUME_MS);
      expect(t.training, `${name}: training`).toBeLessThan(RESUME_MS);
    }
    expect(start.out.filter((l) => /^\w+ exited unexpectedly/.test(l))).toHaveLength(3);

    // A resume can count as training again before it stores an epoch: wait for stored epochs past the kills.
    await until(async () => lastEpoch(start, runId) >= 4, 120_000, 250);
    // Every stored epoch once: 0..n-1, as many as the run counts.
    const server = runningServer(dbDir, "127.0.0.1");
    expect(server).not.toBeNull();
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ epoch: number }>("select epoch from epoch_metrics where run_id = $1 order by epoch", [runId]);
      const [run] = (await client.query<{ n: number }>("select epochs_completed as n from runs where id = $1", [runId])).rows;
      expect(rows.map((r) => r.epoch)).toEqual(Array.from({ length: run!.n }, (_, i) => i));
      expect(run!.n).toBeGreaterThanOrEqual(4);
    } finally {
      await client.end();
    }

    // Killing npm start itself: every child notices and stops.
    const current = ["db", "web", "worker"].map((name) => pidOf(start, name));
    start.child.kill("SIGKILL");
    await until(async () => current.every(gone), 30_000, 200);
  });
});
