import { parseRunConfig } from "../../config";
import { requireString, UsageError, intOption, type CliCommand } from "../command";
import { readJsonOption } from "../json";
import { progressBar } from "../progress";

const BACKENDS = ["auto", "tensorflow", "wasm", "cpu"] as const;
type BackendFlag = (typeof BACKENDS)[number];

export const trainCommand: CliCommand = {
  name: "train",
  summary: "Train one run locally; prints one JSON metrics line per epoch (progress on stderr)",
  usage: "train --config '<json>'|FILE [--backend auto|tensorflow|wasm|cpu] [--train-limit N] [--test-limit M] [--data-dir DIR]",
  options: {
    config: { type: "string" },
    backend: { type: "string", default: "auto" },
    "train-limit": { type: "string" },
    "test-limit": { type: "string" },
    "data-dir": { type: "string" },
  },
  async run(values) {
    const raw = await readJsonOption("config", requireString(values, "config"));
    const trainLimit = intOption(values, "train-limit", 1, 50_000);
    const testLimit = intOption(values, "test-limit", 1, 10_000);
    const overrides = { ...(trainLimit ? { trainLimit } : {}), ...(testLimit ? { testLimit } : {}) };
    const config = parseRunConfig(raw && typeof raw === "object" && !Array.isArray(raw) ? { ...raw, ...overrides } : raw);
    const backend = String(values.backend) as BackendFlag;
    if (!BACKENDS.includes(backend)) throw new UsageError(`--backend: must be one of ${BACKENDS.join(", ")}`);

    // Heavy modules load only once the input is known to be good.
    const { initNodeBackend } = await import("../../backend/node");
    const { loadCifar10 } = await import("../../data/node");
    const { train } = await import("../../trainer/train");

    const loaded = await initNodeBackend(backend);
    process.stderr.write(`backend: ${loaded.detail}${loaded.fallbacks.length ? ` (skipped: ${loaded.fallbacks.join("; ")})` : ""}\n`);
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
    const data = await loadCifar10({ dataDir, trainLimit: config.trainLimit, testLimit: config.testLimit });

    const controller = new AbortController();
    const stop = () => controller.abort(new Error("interrupted"));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const bar = progressBar("train");
    try {
      const result = await train({
        config,
        data,
        signal: controller.signal,
        onBatch: (p) => bar.update(p.batch, p.batches, `epoch ${p.epoch + 1}/${config.epochs} loss ${p.loss.toFixed(4)}`),
        onEpoch: ({ metrics }) => {
          bar.done();
          process.stdout.write(JSON.stringify(metrics) + "\n");
        },
      });
      bar.done();
      if (result.outcome === "diverged") {
        process.stderr.write(`diverged: ${result.reason}\n`);
        return 3;
      }
      if (result.outcome === "aborted") {
        process.stderr.write("interrupted\n");
        return 130;
      }
      return 0;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  },
};
