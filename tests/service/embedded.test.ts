/**
 * Embedded mode, as a user without DATABASE_URL gets it: every command works on its own (starting
 * the database for its lifetime when none runs), `db serve` shares one with the others, the lock
 * keeps a second owner out, and `npm start` runs database, web app and worker and stops them on
 * Ctrl-C. (`npm start` serves the production build: `npm test` builds it first.)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { readCredentials } from "../../db/embedded/credentials";
import { lockPath, readLock } from "../../db/embedded/lockFile";
import { tinyConfig } from "../../server/queue/testRuns";
import { childEnv, freePort, killAll, runCli, startCli, startScript } from "./processes";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-embedded-"));
let dbDir: string;
let env: NodeJS.ProcessEnv;
let n = 0;

beforeEach(() => {
  dbDir = path.join(tmp, `db${n++}`);
  env = childEnv({ LRLAB_DB_DIR: dbDir });
});
afterAll(async () => {
  await killAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const statusOf = async (id: string) => {
  const result = await runCli(["status", id], env);
  expect(result.code).toBe(0);
  return (JSON.parse(result.out[0]!) as { run: { status: string } }).run.status;
};

describe("embedded database from the CLI", () => {
  it("starts a database for a lone command, keeps the data, and releases the lock", async () => {
    const submitted = await runCli(["submit", "--config", JSON.stringify(tinyConfig({ epochs: 1 }))], env);
    expect(submitted.code).toBe(0);
    expect(fs.existsSync(lockPath(dbDir))).toBe(false);
    expect(await statusOf(submitted.out[0]!)).toBe("queued");
  });

  it("lets lone commands started together share whichever of them starts the database", async () => {
    const results = await Promise.all([1, 2, 3].map((seed) => runCli(["submit", "--config", JSON.stringify(tinyConfig({ seed }))], env)));
    for (const r of results) expect(r.code, r.err.join("\n")).toBe(0);
    const ids = results.map((r) => r.out[0]!);
    expect(new Set(ids).size).toBe(3);
    expect(fs.existsSync(lockPath(dbDir))).toBe(false);
    for (const id of ids) expect(await statusOf(id)).toBe("queued");
  });

  it("shares one `db serve` with the other commands and refuses a second owner", async () => {
    const serve = startCli(["db", "serve"], env);
    const ready = await serve.waitFor(/^database ready at /);
    const lock = readLock(dbDir);
    expect(lock).toMatchObject({ pid: serve.child.pid });
    expect(ready).toContain(`:${(lock as { port: number }).port}/`);
    const { password } = readCredentials(dbDir)!;
    expect(ready).toContain("postgres://postgres:***@"); // the password is required, and masked in the log
    expect(ready).not.toContain(password);

    const second = await runCli(["db", "serve"], env);
    expect(second.code).toBe(1);
    expect(second.err.join("\n")).toMatch(new RegExp(`already served by process ${serve.child.pid}`));

    const id = (await runCli(["submit", "--config", JSON.stringify(tinyConfig({ epochs: 1, seed: 3 }))], env)).out[0]!;
    const worker = await runCli(["worker", "--once"], env);
    expect(worker.code).toBe(0);
    expect(worker.out[0]).toMatch(/ready: .*embedded database$/); // connected, did not start its own
    expect(await statusOf(id)).toBe("succeeded");

    serve.child.kill("SIGTERM");
    expect((await serve.exit).code).toBe(0);
    expect(fs.existsSync(lockPath(dbDir))).toBe(false);
    expect(await statusOf(id)).toBe("succeeded"); // on disk, read by a database started for `status`
  });

  it("takes over a lock left by a dead process", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    fs.mkdirSync(path.dirname(dbDir), { recursive: true });
    fs.writeFileSync(
      lockPath(dbDir),
      JSON.stringify({ pid: Number(dead), host: "127.0.0.1", port: 1, startedAt: new Date().toISOString() }),
    );
    const submitted = await runCli(["submit", "--config", JSON.stringify(tinyConfig())], env);
    expect(submitted.code).toBe(0);
    expect(fs.existsSync(lockPath(dbDir))).toBe(false);
  });

  it("`npm start` runs the database, the web app and a worker, and Ctrl-C stops them cleanly", async () => {
    const port = await freePort();
    const start = startScript("scripts/start.ts", [], { ...env, PORT: String(port) });
    await start.waitFor(new RegExp(`^LR Lab is running at http://localhost:${port} — embedded database`));
    await start.waitFor(/\[worker\] .* ready: /);
    await start.waitFor(/\[web\] .*Ready/);
    const page = await fetch(`http://localhost:${port}/browse`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("LR Lab");
    const id = (await runCli(["submit", "--config", JSON.stringify(tinyConfig({ epochs: 1, seed: 4 }))], env)).out[0]!;
    await start.waitFor(new RegExp(`\\[worker\\] .*finished run ${id}: succeeded`));
    start.child.kill("SIGINT");
    expect((await start.exit).code).toBe(0);
    expect(start.out).toEqual(expect.arrayContaining(["[db] database stopped", "stopped"]));
    expect(start.out.some((l) => /\[worker\] .* stopped after 1 run\(s\)/.test(l))).toBe(true);
    expect(fs.existsSync(lockPath(dbDir))).toBe(false);
  });
});
