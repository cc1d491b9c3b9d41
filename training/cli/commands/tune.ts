import { parseRunConfig } from "../../config";
import { ValidationError } from "../../errors";
import { DEFAULT_FINAL_SEEDS, DEFAULT_LR_RANGE, DEFAULT_SWEEP_SIZE } from "../../tuning/sweep";
import { intOption, requireString, UsageError, type CliCommand } from "../command";
import { readJsonOption } from "../json";

const BACKENDS = ["auto", "tensorflow", "wasm", "cpu"] as const;
type BackendFlag = (typeof BACKENDS)[number];

/** `lo,hi`: two positive numbers, lo < hi. */
function parseRange(text: string): [number, number] {
  const parts = text.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && v > 0) || !(parts[0]! < parts[1]!))
    throw new UsageError("--lr-range: must be two positive numbers low,high with low < high");
  return [parts[0]!, parts[1]!];
}

export const tuneCommand: CliCommand = {
  name: "tune",
  summary: "Tuned comparison (DeepOBS): sweep the lr on the validation split, re-run the best with k seeds, report test accuracy",
  usage:
    "tune --config '<json>'|FILE [--n 8] [--k 3] [--halving] [--lr-range 1e-4,1] [--backend auto|tensorflow|wasm|cpu] [--data-dir DIR]",
  options: {
    config: { type: "string" },
    n: { type: "string" },
    k: { type: "string" },
    halving: { type: "boolean", default: false },
    "lr-range": { type: "string" },
    backend: { type: "string", default: "auto" },
    "data-dir": { type: "string" },
  },
  async run(values) {
    const config = parseRunConfig(await readJsonOption("config", requireString(values, "config")));
    if (config.valSplit === undefined)
      throw new ValidationError([
        { path: "valSplit", message: "is required: the lr is chosen on a validation split, never on the test set" },
      ]);
    const n = intOption(values, "n", 2, 64) ?? DEFAULT_SWEEP_SIZE;
    const k = intOption(values, "k", 1, 32) ?? DEFAULT_FINAL_SEEDS;
    // The range would come from an LR range test of this config when one exists; by hand here.
    const lrRange = typeof values["lr-range"] === "string" ? parseRange(values["lr-range"]) : DEFAULT_LR_RANGE;
    const backend = String(values.backend) as BackendFlag;
    if (!BACKENDS.includes(backend)) throw new UsageError(`--backend: must be one of ${BACKENDS.join(", ")}`);

    const { initNodeBackend } = await import("../../backend/node");
    const { loadCifar10 } = await import("../../data/node");
    const { train } = await import("../../trainer/train");
    const { tuneLr } = await import("../../tuning/protocol");
    const loaded = await initNodeBackend(backend);
    process.stderr.write(`backend: ${loaded.detail}\n`);
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
    const data = await loadCifar10({ dataDir, trainLimit: config.trainLimit, testLimit: config.testLimit });
    const result = await tuneLr(
      config,
      { n, k, halving: values.halving === true, lrRange },
      { train, data, onEvent: (event) => process.stdout.write(JSON.stringify(event) + "\n") },
    );
    const accs = result.final.map((f) => f.testAcc);
    const mean = accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : null;
    process.stdout.write(JSON.stringify({ phase: "result", lr: result.lr, n: accs.length, meanTestAcc: mean, testAcc: accs }) + "\n");
    return 0;
  },
};
