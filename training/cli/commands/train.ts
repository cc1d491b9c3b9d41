import { parseRunConfig } from "../../config";
import { backendFlag, interruptible, startNodeBackend } from "../backendFlag";
import { requireString, intOption, type CliCommand } from "../command";
import { readJsonOption } from "../json";
import { progressBar } from "../progress";

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
    const backend = backendFlag(values);

    // Heavy modules load only once the input is known to be good.
    const { loadCifar10 } = await import("../../data/node");
    const { train } = await import("../../trainer/train");

    await startNodeBackend(backend);
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
    const data = await loadCifar10({ dataDir, trainLimit: config.trainLimit, testLimit: config.testLimit });

    const bar = progressBar("train");
    return interruptible(async (signal) => {
      const result = await train({
        config,
        data,
        signal,
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
    });
  },
};
