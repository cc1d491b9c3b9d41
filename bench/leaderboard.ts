/**
 * `npm run bench -- leaderboard [--runs 100000] [--epochs 50] [--iterations 200] [--targets postgres,pglite]`
 *
 * Seeds generated (not trained) runs with one epoch row per epoch (100,000 × 50 = 5M rows by
 * default) into a fresh Postgres database and a fresh on-disk PGlite, fills the run summaries and
 * per-target epochs with the queue's own SQL (summary.ts) and the aggregate table with the
 * refresh code (rebuildLeaderboard), then times `leaderboardPage` — everything one page load
 * asks of the database — for a default view, filtered views, a text search, a sort on
 * epochs-to-target and a deep page. Target: p95 < 50 ms on both. Prints EXPLAIN ANALYZE of the
 * default view's page query.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { comparisons, runs, type NewRun } from "../db/schema";
import { createTestDatabase, type TestDatabase, type TestDbTarget } from "../db/testing/testDatabase";
import { leaderboardInput, leaderboardPage, leaderboardPageSql, type LeaderboardInput } from "../server/leaderboard/query";
import { rebuildLeaderboard } from "../server/leaderboard/refresh";
import { summaryAssignments, targetAssignments } from "../server/queue/summary";
import { configHash, runConfigSchema, type RunConfig } from "../training/config";
import { rng } from "../training/rng";

const VIEWS: Record<string, LeaderboardInput> = {
  default: {},
  "filtered (adam + step)": { optimizer: "adam", scheduleKind: "step" },
  "filtered (tiny-cnn, batch sort)": { model: "tiny-cnn", sort: "batchSize" },
  "search 'cosine 0.01'": { q: "cosine 0.01" }, // lr 0.01, 0.0105, 0.011, …
  "sort epochs to 80%": { sort: "epochsToTarget", target: 80 },
  "deep page (offset 10,000)": { page: 401 },
};

const OPTIMIZERS = [
  { kind: "sgd", momentum: 0.9 },
  { kind: "adam" },
  { kind: "rmsprop" },
  { kind: "adagrad" },
  { kind: "adadelta" },
  { kind: "adamax" },
];
const SCHEDULES = (lr: number) => [
  { kind: "constant", lr },
  { kind: "timeBased", lr, decay: 0.01 },
  { kind: "step", lr, drop: 0.5, epochsDrop: 10 },
  { kind: "exponential", lr, k: 0.05 },
  { kind: "power", lr, power: 0.5 },
  { kind: "cosine", lr },
];

/** Distinct configs (optimizer × schedule × batch × model × lr), enough for `count`. */
function configs(count: number, epochs: number): RunConfig[] {
  const out: RunConfig[] = [];
  for (let k = 0; out.length < count; k++) {
    const lr = Number((0.0005 * (k + 1)).toFixed(6));
    for (const optimizer of OPTIMIZERS)
      for (const schedule of SCHEDULES(lr))
        for (const batchSize of [32, 64, 128])
          for (const model of ["keras-cifar10-cnn", "tiny-cnn"]) {
            // Schema-parsed (the full over-run schedule check is for user input, and slow ×25k).
            if (out.length < count) out.push(runConfigSchema.parse({ model, epochs, batchSize, optimizer, schedule }));
          }
  }
  return out;
}

async function seed(t: TestDatabase, opts: { runs: number; epochs: number }): Promise<void> {
  const rand = rng(42);
  const started = Date.now();
  const log = (what: string) => console.log(`  [${t.target}] ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const comparisonRows = Array.from({ length: 2000 }, (_, i) => {
    const r = rand();
    return {
      owner: `bench-${i % 50}`,
      title: `bench ${i}`,
      visibility: (r < 0.8 ? "public" : r < 0.9 ? "unlisted" : "private") as "public" | "unlisted" | "private",
      shareSlug: `b${String(i).padStart(9, "0")}`,
    };
  });
  const comparisonIds = (await t.db.insert(comparisons).values(comparisonRows).returning({ id: comparisons.id })).map((c) => c.id);
  const all = configs(Math.ceil(opts.runs / 4), opts.epochs);
  const hashes = await Promise.all(all.map((c) => configHash(c)));
  const limited = runConfigSchema.parse({ ...all[0]!, trainLimit: 5000 });
  const limitedHash = await configHash(limited);
  let batch: NewRun[] = [];
  let made = 0;
  const flush = async () => {
    if (batch.length) await t.db.insert(runs).values(batch);
    batch = [];
  };
  for (let i = 0; made < opts.runs; i = (i + 1) % all.length) {
    const seeds = 1 + Math.floor(rand() * 7); // 1–7 seeds, 4 on average
    for (let s = 0; s < seeds && made < opts.runs; s++, made++) {
      const isLimited = rand() < 0.05;
      const config = isLimited ? limited : all[i]!;
      const r = rand();
      const status = r < 0.93 ? "succeeded" : r < 0.97 ? "diverged" : "failed";
      const seedValue = made; // unique per run
      batch.push({
        comparisonId: comparisonIds[Math.floor(rand() * comparisonIds.length)]!,
        owner: "bench",
        config: { ...config, seed: seedValue },
        configHash: isLimited ? limitedHash : hashes[i]!,
        seed: seedValue,
        totalEpochs: opts.epochs,
        status,
        attempts: 1,
        backend: rand() < 0.7 ? "tensorflow" : "wasm",
        startedAt: new Date(),
        finishedAt: new Date(),
      });
      if (batch.length === 1000) await flush();
    }
  }
  await flush();
  log(`${opts.runs} runs over ${all.length} configs`);
  // Epoch rows: a saturating curve per config (cap 0.55–0.90, time constant 3–12 epochs) plus per-seed noise.
  // Every run has its own seed (0 … runs − 1): chunks are seed ranges, so no huge result set is fetched.
  const chunk = 5000;
  for (let lo = 0; lo < made; lo += chunk) {
    const hi = Math.min(lo + chunk, made) - 1;
    await t.db.execute(sql`
      insert into epoch_metrics (run_id, epoch, lr, loss, acc, val_loss, val_acc, seconds, images_per_sec)
      select r.id, e, 0.01, 2.0 - e * 0.02, v + 0.03, 2.1 - e * 0.02, v, 20 + (abs(hashtext(r.id::text)) % 10), 2500
      from runs r
      cross join generate_series(0, ${opts.epochs - 1}) e
      cross join lateral (select
        (0.55 + 0.35 * (abs(hashtext(r.config_hash)) % 1000) / 1000.0) * (1 - exp(-(e + 1) / (3.0 + abs(hashtext(r.config_hash || 'tau')) % 10)))
          + 0.02 * ((abs(hashtext(r.id::text || e::text)) % 100) / 100.0 - 0.5) as v) acc
      where r.seed between ${lo} and ${hi}`);
    if ((lo / chunk) % 4 === 3) log(`epoch rows for ${hi + 1} runs`);
  }
  await t.db.execute(sql`analyze`);
  // Run summaries and epochs-to-target with the queue's own statements.
  for (let lo = 0; lo < made; lo += chunk) {
    const hi = Math.min(lo + chunk, made) - 1;
    await t.db.execute(
      sql`update runs set ${summaryAssignments(sql`runs.id`)}, ${targetAssignments(sql`runs.id`)} where seed between ${lo} and ${hi}`,
    );
    if ((lo / chunk) % 4 === 3) log(`summaries for ${hi + 1} runs`);
  }
  const configsRanked = await rebuildLeaderboard(t.db, 500);
  log(`leaderboard rebuilt from ${configsRanked} eligible config hashes`);
  await t.db.execute(sql`vacuum analyze`);
  log("vacuum analyze");
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(
  t: TestDatabase,
  iterations: number,
): Promise<Record<string, { p50: number; p95: number; rows: number; total: number }>> {
  const out: Record<string, { p50: number; p95: number; rows: number; total: number }> = {};
  for (const [name, view] of Object.entries(VIEWS)) {
    const input = leaderboardInput.parse(view);
    for (let i = 0; i < 10; i++) await leaderboardPage(t.db, input);
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof leaderboardPage>> | null = null;
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      last = await leaderboardPage(t.db, input);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: percentile(times, 50), p95: percentile(times, 95), rows: last!.rows.length, total: last!.total };
  }
  return out;
}

async function explainDefault(t: TestDatabase): Promise<string> {
  const query = leaderboardPageSql(t.db, leaderboardInput.parse({}));
  const result = await t.pool.query(`explain (analyze, buffers) ${query.sql}`, query.params as unknown[]);
  return (result.rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]).join("\n");
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: "string", default: "100000" },
      epochs: { type: "string", default: "50" },
      iterations: { type: "string", default: "200" },
      targets: { type: "string", default: "postgres,pglite" },
    },
  });
  const runCount = Number(values.runs);
  const epochs = Number(values.epochs);
  const iterations = Number(values.iterations);
  const targets = values.targets.split(",") as TestDbTarget[];
  console.log(
    `leaderboard bench: ${runCount} runs × ${epochs} epochs (${(runCount * epochs).toLocaleString("en")} epoch rows), ${iterations} timed page loads per view`,
  );
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const target of targets) {
    const dir = target === "pglite" ? fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-bench-lb-")) : null;
    const t = await createTestDatabase(target, dir ? { dataDir: path.join(dir, "db") } : {});
    try {
      await seed(t, { runs: runCount, epochs });
      results[target] = await measure(t, iterations);
      console.log(`\nEXPLAIN ANALYZE, default view, ${target}:\n${await explainDefault(t)}\n`);
    } finally {
      await t.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log("\nview                              target     p50 ms   p95 ms   rows  total");
  for (const [target, views] of Object.entries(results)) {
    for (const [name, r] of Object.entries(views)) {
      console.log(
        `${name.padEnd(34)}${target.padEnd(10)}${r.p50.toFixed(2).padStart(8)}${r.p95.toFixed(2).padStart(9)}${String(r.rows).padStart(7)}${String(r.total).padStart(7)}${r.p95 < 50 ? "" : "  over 50 ms"}`,
      );
    }
  }
}
