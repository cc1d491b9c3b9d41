/**
 * The PyTorch anchor: the same seed CNN trained by PyTorch on this CPU (the shared script
 * torch_cnn_bench.py, Debian's python3-torch, 2 threads by default), the reference figure for our
 * CPU training throughput. Skipped, with the reason, where python3 or torch is missing.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface AnchorOptions {
  /** Default: LRLAB_TORCH_ANCHOR, else ../shared/anchors/torch_cnn_bench.py beside the repository. */
  script?: string;
  /** Default /usr/bin/python3 (Debian's, where python3-torch installs). */
  python?: string;
  /** torch threads (the script's THREADS); default 2. */
  threads?: number;
}

export type AnchorResult = { available: true; batch: number; imagesPerSec: number; detail: string } | { available: false; reason: string };

function scriptPath(options: AnchorOptions): string {
  return options.script ?? process.env.LRLAB_TORCH_ANCHOR ?? path.resolve(ROOT, "..", "shared", "anchors", "torch_cnn_bench.py");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", (error) => resolve({ code: -1, out: error.message }));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** Whether the anchor can run here, and why not. */
export async function anchorAvailable(options: AnchorOptions = {}): Promise<{ ok: true } | { ok: false; reason: string }> {
  const python = options.python ?? "/usr/bin/python3";
  const script = scriptPath(options);
  if (!fs.existsSync(script)) return { ok: false, reason: `the anchor script ${script} is missing` };
  if (!fs.existsSync(python)) return { ok: false, reason: `${python} is missing` };
  const probe = await run(python, ["-c", "import torch"], process.env);
  if (probe.code !== 0) return { ok: false, reason: "python3-torch is not installed (apt-get install -y python3-torch)" };
  return { ok: true };
}

/** Trains the seed CNN in PyTorch for `seconds` at `batch`; images/s as the script reports it. */
export async function runTorchAnchor(batch: number, seconds: number, options: AnchorOptions = {}): Promise<AnchorResult> {
  const available = await anchorAvailable(options);
  if (!available.ok) return { available: false, reason: available.reason };
  const python = options.python ?? "/usr/bin/python3";
  const env = { ...process.env, THREADS: String(options.threads ?? 2) };
  const { code, out } = await run(python, [scriptPath(options), String(batch), String(seconds)], env);
  const match = /torch (\S+) threads (\d+) batch (\d+): ([\d.]+) images\/s/.exec(out);
  if (code !== 0 || match == null)
    return { available: false, reason: `the anchor failed (exit ${code}): ${out.trim().split("\n").at(-1)}` };
  return { available: true, batch, imagesPerSec: Number(match[4]), detail: `torch ${match[1]}, ${match[2]} threads` };
}
