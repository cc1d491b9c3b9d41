/**
 * `npm run bench -- validate [--target pglite|postgres] [--rounds N]`: what validating a config costs.
 *
 * 1. The worst valid configs (MAX_EPOCHS, batch size 1 over all 50,000 images, per-step formulas of
 *    the maximum length, alone, in a 100-part sequence, and 16 sequences deep): median and max time
 *    of parseRunConfig. Target: < 200 ms.
 * 2. A concurrent request: a cheap tRPC call (`comparisons.browse`) issued every 5 ms, first alone,
 *    then while the worst accepted request (worst drafts at the web's epoch limit, one per run the
 *    cap allows, as many as fit the 1 MiB body limit) is validated alone (input parse and expandDrafts), then while
 *    `comparisons.create` handles it whole; each probe's latency side by side, and the event
 *    loop's longest stall (wall time, and the CPU time of the longest turn). Target: no probe
 *    delayed > 100 ms beyond the baseline. PGlite runs in a process of its own, as under `npm start`.
 *
 * Every formula is new (the compiled ones are remembered by text, and a hostile client sends new ones).
 */
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createDbClient, type Db } from "../db/client";
import { startEmbeddedDatabase } from "../db/embedded/server";
import { createTestDatabase, type TestDbTarget } from "../db/testing/testDatabase";
import { user } from "../db/schema";
import { createCaller } from "../server/api/root";
import { createComparisonSchema, type RunDraftInput } from "../lib/schemas";
import { expandDrafts } from "../server/api/drafts";
import { MAX_JSON_BODY_BYTES } from "../server/http/body";
import { MAX_EPOCHS, parseRunConfig, type RunConfigInput } from "../training/config";
import { MAX_EXPRESSION_LENGTH } from "../training/expression/parser";
import type { ScheduleInput } from "../training/schedules/spec";

const WEB_LIMITS = { maxQueuedRuns: 50, maxEpochs: 200, maxRunsPerComparison: 32 };

/** Formulas made so far: each one differs (remembered formulas skip parsing, and a hostile client sends new ones). */
let formulas = 0;

/** A per-step formula of (almost) the maximum length, never seen before: many calls, all reading step. */
function longFormula(): string {
  const k = formulas++ * 1000;
  let text = "0.1";
  for (let i = 1; ; i++) {
    const term = ` + 0.0001 * abs(sin(step / ${i + 96 + k} + epoch / epochs) * cos(step / stepsPerEpoch))`;
    if (text.length + term.length > MAX_EXPRESSION_LENGTH) return text;
    text += term;
  }
}

const expression = (): ScheduleInput => ({ kind: "expression", expr: longFormula() });

function worstConfigs(epochs: number): Record<string, RunConfigInput> {
  let nested: ScheduleInput = expression();
  for (let depth = 0; depth < 16; depth++)
    nested = { kind: "sequence", parts: [{ epochs: 1, schedule: expression() }, { schedule: nested }] };
  const base = { model: "tiny-cnn" as const, epochs, batchSize: 1, optimizer: { kind: "sgd" as const } };
  return {
    "one 1000-char step formula": { ...base, schedule: expression() },
    "100-part sequence of them": {
      ...base,
      schedule: {
        kind: "sequence",
        parts: Array.from({ length: 100 }, (_, i) => ({ ...(i < 99 ? { epochs: 1 } : {}), schedule: expression() })),
      },
    },
    "16 nested sequences": { ...base, schedule: nested },
  };
}

/**
 * PGlite in a process of its own, as `npm start` runs it (`db serve`): hosted in this process, its
 * queries (wasm) would run on the event loop measured here, which the web app's never does.
 */
async function databaseProcess(): Promise<{ db: Db; drop(): Promise<void> }> {
  const proc = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "database"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`the database process exited (${code})`)));
  });
  const client = createDbClient(url, { max: 4 });
  return {
    db: client.db,
    drop: async () => {
      await client.close();
      const exited = new Promise((resolve) => proc.once("exit", resolve));
      proc.stdin.end();
      await exited;
    },
  };
}

function timeOf(f: () => void): number {
  const started = performance.now();
  f();
  return performance.now() - started;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { target: { type: "string", default: "pglite" }, rounds: { type: "string", default: "5" } },
  });
  const rounds = Number(values.rounds);
  console.log(`formula: ${longFormula().length} characters, each one different`);

  console.log("\n1. parseRunConfig of the worst valid configs (batch size 1: 50,000 steps an epoch)");
  for (const epochs of [WEB_LIMITS.maxEpochs, MAX_EPOCHS]) {
    const names = Object.keys(worstConfigs(epochs));
    for (const name of names) {
      // Fresh formulas every round: none of them is remembered from an earlier one.
      const configs = Array.from({ length: rounds }, () => worstConfigs(epochs)[name]!);
      const times = configs.map((config) => timeOf(() => parseRunConfig(config))).sort((a, b) => a - b);
      const verdict = times.at(-1)! < 200 ? "ok" : "OVER 200 ms";
      console.log(`  ${epochs} epochs, ${name}: median ${ms(times[rounds >> 1]!)}, max ${ms(times.at(-1)!)} (${verdict})`);
    }
  }

  console.log(`\n2. a concurrent request while comparisons.create validates the worst accepted request (${values.target})`);
  const t = values.target === "pglite" ? await databaseProcess() : await createTestDatabase(values.target as TestDbTarget);
  try {
    await t.db.insert(user).values({ id: "bench", name: "bench", email: "bench@example.test" });
    const caller = createCaller({ db: t.db, user: { id: "bench", name: "bench", email: "bench@example.test" }, limits: WEB_LIMITS });
    // Fresh formulas in every draft of every request: none is found remembered.
    // As many of the worst drafts as the web's body limit admits (a larger request gets a 413 before any parsing).
    const worstRequest = () => {
      const request = { title: "worst", visibility: "private" as const, runs: [] as RunDraftInput[] };
      for (let i = 0; i < WEB_LIMITS.maxRunsPerComparison; i++) {
        const worst = Object.values(worstConfigs(WEB_LIMITS.maxEpochs));
        const { epochs, batchSize, optimizer, schedule, model } = worst[i % worst.length]!;
        const draft = { config: { model, epochs, batchSize, optimizer, schedule } as RunDraftInput["config"], seeds: [i] };
        if (JSON.stringify({ ...request, runs: [...request.runs, draft] }).length > MAX_JSON_BODY_BYTES) continue;
        request.runs.push(draft);
      }
      return request;
    };

    const probe = async (during: () => Promise<unknown>) => {
      const latencies: number[] = [];
      const loop = monitorEventLoopDelay({ resolution: 1 });
      let done = false;
      const probing = (async () => {
        while (!done) {
          const started = performance.now();
          await caller.comparisons.browse({ page: 1 });
          latencies.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      // The CPU time of the longest turn of the event loop (all of this process's threads): on a
      // shared machine a stall's wall time also counts the time the process waited for a core.
      let turnCpu = 0;
      let lastCpu = process.cpuUsage();
      const turns = setInterval(() => {
        const used = process.cpuUsage(lastCpu);
        lastCpu = process.cpuUsage();
        turnCpu = Math.max(turnCpu, (used.user + used.system) / 1000);
      }, 1);
      loop.enable();
      const started = performance.now();
      await during();
      const elapsed = performance.now() - started;
      done = true;
      await probing;
      loop.disable();
      clearInterval(turns);
      latencies.sort((a, b) => a - b);
      const [p50, max] = [latencies[latencies.length >> 1]!, latencies.at(-1)!];
      return { elapsed, n: latencies.length, p50, max, stall: loop.max / 1e6, turnCpu };
    };

    const baseline = await probe(() => new Promise((r) => setTimeout(r, 2_000)));
    // The validation alone (the input parse, then the schedules over the run), without the
    // database's work: PGlite runs one query at a time, so probes also wait for the insert.
    const validated = await probe(async () => expandDrafts((await createComparisonSchema.parseAsync(worstRequest())).runs, WEB_LIMITS));
    const request = worstRequest();
    const loaded = await probe(() => caller.comparisons.create(request));
    const row = (name: string, r: typeof baseline) =>
      console.log(
        `  ${name.padEnd(34)} ${ms(r.elapsed).padStart(10)}  probes ${String(r.n).padStart(4)}  p50 ${ms(r.p50).padStart(8)}  max ${ms(r.max).padStart(8)}  longest loop stall ${ms(r.stall)} (CPU ${ms(r.turnCpu)})`,
      );
    row("alone (2 s)", baseline);
    row(`validating ${request.runs.length} worst drafts`, validated);
    row(`create with ${request.runs.length} worst drafts`, loaded);
    for (const [name, r] of [
      ["validation", validated],
      ["create", loaded],
    ] as const) {
      const delay = r.max - baseline.p50;
      console.log(`  ${name}: worst probe delay beyond baseline p50: ${ms(delay)} (${delay < 100 ? "ok" : "OVER 100 ms"})`);
    }
  } finally {
    await t.drop();
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv[2] === "database") {
  const embedded = await startEmbeddedDatabase({ dataDir: "memory://" });
  process.stdout.write(`${embedded.url}\n`);
  // Until the bench closes stdin (or dies).
  process.stdin.resume();
  process.stdin.once("end", () => void embedded.stop().then(() => process.exit(0)));
}
