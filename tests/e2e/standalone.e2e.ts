/**
 * The stateless web tier: the standalone server (`output: "standalone"`) copied to a read-only
 * directory, started with nothing but environment variables against Postgres, serves every public
 * page (from its in-memory cache the second time) without trying to write to disk; and without
 * BETTER_AUTH_SECRET it refuses to start, naming the variable. With LRLAB_DATASET_URL, the
 * browser preview trains on the static slice files `lrlab data export-slices` wrote (served here
 * from public/, as a CDN would serve them), though this server has no dataset of its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderboardConfigs } from "../../db/schema";
import { exportSlices } from "../../training/data/node";
import { testDataDir } from "../../training/testing/dataDir";
import { createTestDatabase, type TestDatabase } from "../../db/testing/testDatabase";
import { finishRun, fullConfig, makeComparison } from "../leaderboard/helpers";
import { launchBrowser } from "./browser";
import { freePort } from "./stack";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BUILD = path.join(ROOT, ".next/standalone");
const NOBODY = 65534;
/** Where the exported slice set is served from, under public/. */
const SLICES = "cifar-slices";

let db: TestDatabase;
let dir = "";
let slug = "";
let runId = "";
let configHash = "";

/** The server as a serverless host runs it: its own directory, only these variables, a user that owns nothing there. */
function startServer(env: Record<string, string>): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
  const output: string[] = [];
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.execPath, ["server.js"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, log: () => output.join(""), exited };
}

/** The server against the test database, once it answers `/`; `extra` adds variables that need its URL. */
async function startServing(extra: (url: string) => Record<string, string> = () => ({})) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startServer({
    PORT: String(port),
    DATABASE_URL: db.url,
    BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    BETTER_AUTH_URL: url,
    ...extra(url),
  });
  try {
    await expect.poll(async () => (await fetch(`${url}/`).catch(() => null))?.status ?? 0, { timeout: 60_000, interval: 250 }).toBe(200);
  } catch (error) {
    server.child.kill("SIGTERM");
    throw error;
  }
  return { url, server };
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(BUILD, "server.js"))) throw new Error("no standalone build: run `npm run build` first");
  db = await createTestDatabase("postgres");
  const comparison = await makeComparison(db.db, "someone", "public", "Standalone schedules");
  slug = comparison.shareSlug;
  const run = await finishRun(db.db, { config: fullConfig(), comparisonId: comparison.id, valAccs: [0.31, 0.42, 0.5] });
  runId = run.id;
  const [row] = await db.db.select({ configHash: leaderboardConfigs.configHash }).from(leaderboardConfigs);
  configHash = row!.configHash;
  // A copy nobody may write to: read-only to the server's user (and to everyone, for a non-root run).
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-standalone-"));
  fs.cpSync(BUILD, dir, { recursive: true, dereference: true });
  // As README's Deploy section says: the build's static assets and public/ go next to server.js.
  fs.cpSync(path.join(ROOT, ".next/static"), path.join(dir, ".next/static"), { recursive: true });
  fs.cpSync(path.join(ROOT, "public"), path.join(dir, "public"), { recursive: true });
  // The slice set as any static host serves it; the copy has no prepared cache (.data) of its own.
  await exportSlices({ outDir: path.join(dir, "public", SLICES), dataDir: testDataDir() });
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    fs.chmodSync(full, entry.isDirectory() ? 0o555 : 0o444);
  }
  fs.chmodSync(dir, 0o555);
}, 300_000);

afterAll(async () => {
  if (dir) {
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
      if (entry.isDirectory()) fs.chmodSync(path.join(entry.parentPath, entry.name), 0o755);
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await db?.drop();
});

describe("standalone server from a read-only directory", () => {
  it("serves the public pages against Postgres, the second time from memory, writing nothing", async () => {
    const { url, server } = await startServing();
    try {
      const pages: [string, string][] = [
        ["/", "LR Lab"],
        ["/leaderboard", "Standalone schedules"],
        ["/leaderboard?sort=n&dir=desc", "Standalone schedules"],
        ["/browse", "Standalone schedules"],
        [`/c/${slug}`, "Standalone schedules"],
        [`/c/${slug}/runs/${runId}`, "3 of 3 epochs"],
        [`/leaderboard/${configHash}`, "Standalone schedules"],
        ["/robots.txt", "Sitemap:"],
        ["/sitemap.xml", `/c/${slug}`],
        ["/manifest.webmanifest", "LR Lab"],
      ];
      for (const [page, text] of pages) {
        const response = await fetch(url + page);
        const body = (await response.text()).replaceAll("<!-- -->", "");
        expect(response.status, `${page}\n${server.log()}`).toBe(200);
        expect(body, page).toContain(text);
      }
      // Right after a render (the walk above may take longer than the 2 s a page is kept).
      await (await fetch(`${url}/c/${slug}`)).arrayBuffer();
      expect((await fetch(`${url}/c/${slug}`)).headers.get("x-nextjs-cache")).toMatch(/HIT|STALE/);
      const icon = await fetch(`${url}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(Buffer.from(await icon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // an ICO header
      expect(server.log()).not.toMatch(/EACCES|EROFS|EPERM/);
      expect(server.child.exitCode).toBeNull();
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("previews in Chromium on CIFAR-10 read from LRLAB_DATASET_URL's slice files, with no dataset on the server", async () => {
    const { url, server } = await startServing((url) => ({ LRLAB_DATASET_URL: `${url}/${SLICES}/` }));
    const browser = await launchBrowser({ webgl: true }).catch(async (error: unknown) => {
      server.child.kill("SIGTERM");
      throw error;
    });
    try {
      // This server's own slice endpoint has nothing to serve: only the slice files can feed the preview.
      expect((await fetch(`${url}/api/cifar?split=train&offset=0&count=1`)).status).not.toBe(200);
      const page = await browser.newPage();
      const loaded: string[] = [];
      page.on("requestfinished", (request) => loaded.push(new URL(request.url()).pathname));
      await page.goto(`${url}/c/${slug}/preview`);
      await page.getByLabel("Training images").fill("256");
      await page.getByLabel("Test images").fill("64");
      await page.getByLabel("Epochs", { exact: true }).fill("1");
      await page.getByRole("button", { name: "Start preview" }).click();
      const states = () => page.locator("[data-state]").evaluateAll((els) => els.map((el) => el.getAttribute("data-state")));
      await expect.poll(states, { timeout: 120_000, interval: 500 }).toEqual(["succeeded"]);
      expect(loaded).toContain(`/${SLICES}/index.json`);
      // The first file of each split (1,000 examples each cover 256 and 64), named by content hash.
      expect(loaded.filter((p) => p.endsWith(".bin")).sort()).toEqual([
        expect.stringMatching(new RegExp(`^/${SLICES}/test-0-[0-9a-f]{16}\\.bin$`)),
        expect.stringMatching(new RegExp(`^/${SLICES}/train-0-[0-9a-f]{16}\\.bin$`)),
      ]);
      expect(loaded.filter((p) => p.startsWith("/api/cifar"))).toEqual([]);
      expect(server.log()).not.toMatch(/EACCES|EROFS|EPERM/);
    } finally {
      await browser.close();
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }, 240_000);

  it("logs a database it cannot reach once, in one line, not at every page sync", async () => {
    const missing = new URL(db.url);
    missing.pathname = `/${path.basename(missing.pathname)}_missing`;
    // The home page needs no database, so the server answers it all the same.
    const { server } = await startServing(() => ({ DATABASE_URL: missing.toString(), LRLAB_PAGE_SYNC_MS: "200" }));
    try {
      await expect.poll(() => server.log(), { timeout: 60_000, interval: 250 }).toContain("page sync failed");
      await new Promise((resolve) => setTimeout(resolve, 2000)); // ten more syncs
      const lines = server
        .log()
        .split("\n")
        .filter((line) => line.includes("page sync"));
      expect(lines).toEqual([expect.stringMatching(/^page sync failed \(.*\): database ".*_missing" does not exist$/)]);
      expect(server.log()).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("exits within seconds of SIGTERM while its page sync calls it every 5 ms", async () => {
    // Next stops accepting connections on SIGTERM and waits for the open ones to close: a sync
    // connection kept alive and reused would hold it open for good.
    const { server } = await startServing(() => ({ LRLAB_PAGE_SYNC_MS: "5" }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    server.child.kill("SIGTERM");
    const timeout = new Promise((resolve) => setTimeout(() => resolve("still running"), 15_000));
    const exit = await Promise.race([server.exited, timeout]);
    if (exit === "still running") server.child.kill("SIGKILL");
    expect(exit).toBe(143);
  });

  it("refuses to start with DATABASE_URL but no BETTER_AUTH_SECRET, naming the variable", async () => {
    const server = startServer({ PORT: String(await freePort()), DATABASE_URL: db.url });
    const timer = setTimeout(() => server.child.kill("SIGKILL"), 60_000);
    const code = await server.exited;
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(server.log()).toContain("BETTER_AUTH_SECRET: is required in production with DATABASE_URL");
  });
});
