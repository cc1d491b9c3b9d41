/**
 * `npm run bench -- web [--seconds N] [--connections C] [--db postgres|pglite]`: requests/s and
 * latency of what a stranger (no cookie) gets from `next start` — a public comparison, the
 * leaderboard, the home and browse pages — side by side with a static asset from the same server
 * in one run, as the ratio to that asset. Needs a production build (`npm run build`). The
 * comparison holds 8 finished runs × 30 epochs, so rendering it from the database has real work.
 */
import autocannon from "autocannon";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDbTarget } from "../db/testing/testDatabase";
import { finishRun, fullConfig, makeComparison } from "../tests/leaderboard/helpers";
import { startStack } from "../tests/e2e/stack";

const ROOT = path.resolve(import.meta.dirname, "..");

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

/** A static file the server sends from disk: the largest client chunk of the build. */
function staticAsset(): string {
  const dir = path.join(ROOT, ".next/static/chunks");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".js"));
  const largest = files.map((f) => ({ f, size: fs.statSync(path.join(dir, f)).size })).sort((a, b) => b.size - a.size)[0];
  if (!largest) throw new Error("no client chunks in .next/static/chunks: run `npm run build`");
  return `/_next/static/chunks/${largest.f}`;
}

interface Row {
  name: string;
  path: string;
  status: number;
  cacheControl: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(url: string, name: string, urlPath: string, seconds: number, connections: number): Promise<Row> {
  const probe = await fetch(url + urlPath);
  await probe.arrayBuffer();
  // A short warm-up so the first render (or cache fill) is not in the figures.
  await autocannon({ url: url + urlPath, connections, duration: 1 });
  const result = await autocannon({ url: url + urlPath, connections, duration: seconds });
  return {
    name,
    path: urlPath,
    status: probe.status,
    cacheControl: probe.headers.get("cache-control") ?? "",
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export async function main(args: string[]): Promise<void> {
  const seconds = Number(option(args, "seconds", "5"));
  const connections = Number(option(args, "connections", "20"));
  const target = option(args, "db", "postgres") as TestDbTarget;
  const db = await createTestDatabase(target, { poolMax: 4 });
  try {
    const comparison = await makeComparison(db.db, "bench-owner", "public", "Schedules compared (bench)");
    const schedules = [
      { kind: "constant", lr: 0.1 },
      { kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 },
      { kind: "exponential", lr: 0.1, k: 0.1 },
      { kind: "cosine", lr: 0.1, minLr: 0 },
    ] as const;
    for (const [i, schedule] of schedules.entries()) {
      for (const seed of [1, 2]) {
        const valAccs = Array.from({ length: 30 }, (_, e) => 0.3 + 0.4 * (1 - Math.exp(-e / 8)) + 0.01 * i + 0.002 * seed);
        await finishRun(db.db, { config: fullConfig({ epochs: 30, schedule, seed }), comparisonId: comparison.id, valAccs });
      }
    }
    const stack = await startStack({ env: { DATABASE_URL: db.url } });
    try {
      const targets: [string, string][] = [
        ["static asset", staticAsset()],
        ["comparison", `/c/${comparison.shareSlug}`],
        ["leaderboard", "/leaderboard"],
        ["leaderboard, sorted", "/leaderboard?sort=n&dir=desc"],
        ["browse", "/browse"],
        ["home", "/"],
      ];
      const rows: Row[] = [];
      // Every target is warmed first, so the server's first seconds (JIT, first cache fills) are
      // charged to no page in particular: the figures are the steady state a long-running server has.
      for (const [, urlPath] of targets) await autocannon({ url: stack.url + urlPath, connections, duration: 1 });
      for (const [name, urlPath] of targets) rows.push(await measure(stack.url, name, urlPath, seconds, connections));
      const base = rows[0]!.rps;
      process.stdout.write(`web: ${connections} connections, ${seconds} s each, anonymous, database ${target}\n`);
      process.stdout.write(
        `| page | status | req/s | × static | p50 ms | p99 ms | errors | Cache-Control |\n|---|---|---|---|---|---|---|---|\n`,
      );
      for (const r of rows) {
        process.stdout.write(
          `| ${r.name} (${r.path.length > 40 ? r.path.slice(0, 37) + "…" : r.path}) | ${r.status} | ${r.rps.toFixed(0)} | ${(r.rps / base).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cacheControl} |\n`,
        );
      }
    } finally {
      await stack.stop();
    }
  } finally {
    await db.drop();
  }
}
