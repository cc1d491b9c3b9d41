/**
 * `npm run bench -- train`: training throughput of the seed CNN, in one run:
 * 1. images/s per Node backend at batch 64 and 128 (random images, after warm-up; each backend
 *    in a fresh child process, so thread settings and kernel registrations do not leak between
 *    them); `wasm:1` is the wasm backend held to one thread; `cpu` only when asked for (a step
 *    takes minutes: it is timed once per batch size, without warm-up);
 * 2. the PyTorch anchor on the same CPU, alternating with the fastest backend in `--rounds`
 *    rounds of `--anchor-seconds` each, so both see the shared machine in the same state, and
 *    our images/s ÷ PyTorch's per round and their median (skipped with a note where
 *    python3-torch is missing);
 * 3. the per-op profile of the fastest backend at batch 64;
 * 4. the data feed (cache read, then shuffle + augment + batch, then upload) on its own;
 * 5. the projected time of one full 50,000-image epoch (step + feed, as the trainer runs them).
 *
 * Options: --backends tensorflow,webgpu,wasm,wasm:1[,cpu]  --batches 64,128  --seconds 15
 *          --profile-steps 5  --anchor auto|off  --anchor-seconds 10  --rounds 2  --feed-batches 200
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { initNodeBackend, type NodeBackendPreference } from "../training/backend/node";
import { createModel } from "../training/model/model";
import type { ModelName } from "../training/model/names";
import { createOptimizer } from "../training/optimizers/keras";
import { optimizerSpecSchema } from "../training/optimizers/spec";
import { trainStep } from "../training/trainer/step";
import { runTorchAnchor, type AnchorResult } from "./anchor";
import { formatProfile, profileTrainStep, type StepProfile } from "./profile";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "..");
const EPOCH_IMAGES = 50_000;

export interface StepRate {
  backend: string;
  batch: number;
  imagesPerSec: number;
  steps: number;
}

/** Steps for at least `seconds` (and at least `minSteps`) after `warmup` untimed steps. */
export async function measureTrainStep(options: {
  model?: ModelName;
  batch: number;
  seconds: number;
  warmup?: number;
  minSteps?: number;
}): Promise<StepRate> {
  const model = createModel(options.model ?? "keras-cifar10-cnn", 0);
  const optimizer = createOptimizer(optimizerSpecSchema.parse({ kind: "sgd", momentum: 0.9 }));
  const x = tf.randomUniform([options.batch, 32, 32, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: options.batch }, (_, i) => i % 10),
    "int32",
  );
  try {
    let step = 0;
    const run = () => trainStep(model, optimizer, { x, y }, 0.01, step++);
    for (let i = 0; i < (options.warmup ?? 2); i++) await run();
    const started = performance.now();
    let steps = 0;
    while (steps < (options.minSteps ?? 1) || performance.now() - started < options.seconds * 1000) {
      await run();
      steps += 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { backend: tf.getBackend(), batch: options.batch, imagesPerSec: (steps * options.batch) / elapsed, steps };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

/** A backend as the bench names it: `wasm:1` is wasm with one thread. */
interface BackendSpec {
  label: string;
  preference: NodeBackendPreference;
  threads?: number;
}

function parseBackend(label: string): BackendSpec {
  const [name, threads] = label.split(":");
  return { label, preference: name as NodeBackendPreference, threads: threads ? Number(threads) : undefined };
}

type ChildTask =
  | { kind: "rates"; backend: BackendSpec; batches: number[]; seconds: number }
  | { kind: "profile"; backend: BackendSpec; batch: number; steps: number };

type ChildResult = { ok: false; reason: string } | { ok: true; detail: string; rates?: StepRate[]; profile?: StepProfile };

async function childMain(task: ChildTask): Promise<ChildResult> {
  let detail: string;
  try {
    detail = (await initNodeBackend(task.backend.preference, { wasmThreads: task.backend.threads })).detail;
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (task.kind === "profile") {
    return { ok: true, detail, profile: await profileTrainStep({ batch: task.batch, steps: task.steps }) };
  }
  const rates: StepRate[] = [];
  for (const batch of task.batches) {
    // The cpu backend needs minutes per step: time a single step, without warm-up.
    const slow = tf.getBackend() === "cpu";
    rates.push(await measureTrainStep({ batch, seconds: slow ? 0 : task.seconds, warmup: slow ? 0 : 3 }));
  }
  return { ok: true, detail, rates };
}

/** Runs a task in a fresh `node --import tsx` child; its last stdout line is the JSON result. */
function inChild(task: ChildTask): Promise<ChildResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["--import", "tsx", SELF, "child", JSON.stringify(task)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
    proc.on("close", (code) => {
      const line = out
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("RESULT "))
        .at(-1);
      if (line) resolve(JSON.parse(line.slice("RESULT ".length)) as ChildResult);
      else resolve({ ok: false, reason: `child exited ${code}: ${err.trim().split("\n").slice(-3).join(" | ")}` });
    });
  });
}

/** The data feed on its own: cache read, then shuffled + augmented batches, as the trainer makes them. */
async function measureFeed(batches: number[], count: number): Promise<string[]> {
  const { loadCifar10 } = await import("../training/data/cacheRead");
  const { iterateBatches } = await import("../training/data/batches");
  const lines: string[] = [];
  const t0 = performance.now();
  let data;
  try {
    data = await loadCifar10({});
  } catch (error) {
    return [`data feed: skipped (${(error as Error).message.split("\n")[0]})`];
  }
  lines.push(
    `data feed: cache read (decode) ${(performance.now() - t0).toFixed(0)} ms for ${data.train.count} + ${data.test.count} images`,
  );
  for (const batch of batches) {
    const started = performance.now();
    let images = 0;
    let made = 0;
    for (const b of iterateBatches(data.train, { batchSize: batch, seed: 1, epoch: 0, shuffle: true, augment: true })) {
      images += b.size;
      if (++made >= count) break;
    }
    const seconds = (performance.now() - started) / 1000;
    lines.push(
      `data feed: shuffle + augment + batch at ${batch}: ${(images / seconds).toFixed(0)} images/s (${((1000 * seconds) / made).toFixed(2)} ms per batch)`,
    );
  }
  return lines;
}

function fmtRate(r: number): string {
  return r.toFixed(1).padStart(8);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backends: { type: "string", default: "tensorflow,webgpu,wasm,wasm:1" },
      batches: { type: "string", default: "64,128" },
      seconds: { type: "string", default: "15" },
      "profile-steps": { type: "string", default: "5" },
      anchor: { type: "string", default: "auto" },
      "anchor-seconds": { type: "string", default: "10" },
      rounds: { type: "string", default: "2" },
      "feed-batches": { type: "string", default: "200" },
    },
  });
  const seconds = Number(values.seconds);
  const batches = values.batches.split(",").map(Number);
  const specs = values.backends.split(",").map(parseBackend);

  type Row = { spec: BackendSpec; detail: string; rate: StepRate };
  const rows: Row[] = [];
  for (const spec of specs) {
    const result = await inChild({ kind: "rates", backend: spec, batches, seconds });
    if (!result.ok) {
      console.log(`${spec.label}: unavailable (${result.reason})`);
      continue;
    }
    for (const rate of result.rates ?? []) {
      rows.push({ spec, detail: result.detail, rate });
      console.log(
        `${result.detail.padEnd(34)} batch ${String(rate.batch).padStart(4)}: ${fmtRate(rate.imagesPerSec)} images/s (${rate.steps} steps)`,
      );
    }
  }
  if (!specs.some((s) => s.preference === "cpu")) {
    console.log("cpu: not measured by default (a step takes minutes); add it with --backends …,cpu");
  }

  const best = rows.reduce<Row | undefined>((a, r) => (!a || r.rate.imagesPerSec > a.rate.imagesPerSec ? r : a), undefined);
  if (!best) return;
  console.log(`fastest: ${best.detail} at batch ${best.rate.batch}: ${best.rate.imagesPerSec.toFixed(1)} images/s`);

  // PyTorch alternating with the fastest backend: the machine is shared, so only figures taken
  // side by side compare; the median of the per-round ratios is the headline.
  if (values.anchor !== "off") {
    const anchorSeconds = Number(values["anchor-seconds"]);
    const ratios = new Map<number, number[]>(batches.map((b) => [b, []]));
    let skipped: string | undefined;
    for (let round = 1; round <= Number(values.rounds) && !skipped; round++) {
      for (const batch of batches) {
        const ours = await inChild({ kind: "rates", backend: best.spec, batches: [batch], seconds: anchorSeconds });
        const anchor: AnchorResult = await runTorchAnchor(batch, anchorSeconds);
        if (!anchor.available) {
          skipped = anchor.reason;
          break;
        }
        const rate = ours.ok ? ours.rates?.[0]?.imagesPerSec : undefined;
        if (rate == null) continue;
        ratios.get(batch)!.push(rate / anchor.imagesPerSec);
        console.log(
          `round ${round}, batch ${String(batch).padStart(4)}: ${best.spec.label} ${fmtRate(rate)} images/s, ` +
            `PyTorch (${anchor.detail}) ${fmtRate(anchor.imagesPerSec)} images/s, ratio ${(rate / anchor.imagesPerSec).toFixed(2)}`,
        );
      }
    }
    if (skipped) console.log(`PyTorch anchor: skipped (${skipped})`);
    for (const [batch, list] of ratios) {
      if (list.length === 0) continue;
      const sorted = [...list].sort((a, b) => a - b);
      const median =
        sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
      console.log(
        `ours ÷ PyTorch at batch ${batch}: median ${median.toFixed(2)} over ${list.length} round(s) [${list.map((r) => r.toFixed(2)).join(", ")}]`,
      );
    }
  }

  const profiled = await inChild({ kind: "profile", backend: best.spec, batch: 64, steps: Number(values["profile-steps"]) });
  if (profiled.ok && profiled.profile) console.log(formatProfile(profiled.profile));
  else if (!profiled.ok) console.log(`profile: failed (${profiled.reason})`);

  const feed = await measureFeed(batches, Number(values["feed-batches"]));
  for (const line of feed) console.log(line);

  // The trainer makes each batch, then steps on it, on one thread: per-batch times add up.
  const perBatch = /at (\d+): [\d.]+ images\/s \(([\d.]+) ms per batch\)/;
  const feedMs = new Map(
    feed
      .map((l) => perBatch.exec(l))
      .filter((m) => m != null)
      .map((m) => [Number(m[1]), Number(m[2])]),
  );
  const stepMs = (1000 * best.rate.batch) / best.rate.imagesPerSec;
  const withFeed = stepMs + (feedMs.get(best.rate.batch) ?? 0);
  const minutes = (ms: number) => ((EPOCH_IMAGES / best.rate.batch) * ms) / 60_000;
  console.log(
    `projected 50,000-image epoch on ${best.detail} at batch ${best.rate.batch}: ${minutes(withFeed).toFixed(1)} min ` +
      `(training steps ${minutes(stepMs).toFixed(1)} min + data feed ${minutes(withFeed - stepMs).toFixed(2)} min)`,
  );
}

if (process.argv[1] === SELF && process.argv[2] === "child") {
  const result = await childMain(JSON.parse(process.argv[3]!) as ChildTask).catch((error: unknown): ChildResult => ({
    ok: false,
    reason: (error as Error).stack ?? String(error),
  }));
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  // Emscripten's pthread worker (wasm threads) is unref'd, but exit explicitly all the same.
  process.exit(0);
}
