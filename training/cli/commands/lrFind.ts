import { parseRunConfig } from "../../config";
import { ValidationError, zodIssues } from "../../errors";
import { lrFindSettingsSchema, type LrFindSettings } from "../../lrFind/rangeTest";
import { backendFlag, interruptible, startNodeBackend } from "../backendFlag";
import { intOption, requireString, UsageError, type CliCommand } from "../command";
import { readJsonOption } from "../json";
import { progressBar } from "../progress";

const FLAGS: Record<keyof LrFindSettings, string> = { startLr: "start-lr", endLr: "end-lr", numIt: "num-it" };

export const lrFindCommand: CliCommand = {
  name: "lr-find",
  summary: "LR range test (fastai lr_find) on a run's model, optimizer and batch size; prints one JSON object",
  usage:
    "lr-find --config '<json>'|FILE [--start-lr 1e-7] [--end-lr 10] [--num-it 100] [--train-limit N] [--backend auto|tensorflow|wasm|cpu] [--data-dir DIR]",
  options: {
    config: { type: "string" },
    "start-lr": { type: "string" },
    "end-lr": { type: "string" },
    "num-it": { type: "string" },
    "train-limit": { type: "string" },
    backend: { type: "string", default: "auto" },
    "data-dir": { type: "string" },
  },
  async run(values) {
    const raw = await readJsonOption("config", requireString(values, "config"));
    const trainLimit = intOption(values, "train-limit", 1, 50_000);
    const config = parseRunConfig(raw && typeof raw === "object" && !Array.isArray(raw) && trainLimit ? { ...raw, trainLimit } : raw);
    const settings = parseSettings(values);
    const backend = backendFlag(values);

    const { loadCifar10 } = await import("../../data/node");
    const { lrFind } = await import("../../lrFind/run");

    const loaded = await startNodeBackend(backend);
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
    // The test set is never touched; load as little of it as the loader allows.
    const data = await loadCifar10({ dataDir, trainLimit: config.trainLimit, testLimit: 1 });

    const bar = progressBar("lr-find");
    return interruptible(async (signal) => {
      try {
        const result = await lrFind({
          config,
          train: data.train,
          settings,
          signal,
          onIteration: (p) => bar.update(p.iteration + 1, p.numIt, `lr ${p.lr.toExponential(2)} loss ${p.smoothLoss.toFixed(4)}`),
        });
        bar.done();
        process.stdout.write(JSON.stringify({ ...result, backend: loaded.name }) + "\n");
        return 0;
      } catch (error) {
        bar.done();
        if (!signal.aborted) throw error;
        process.stderr.write("interrupted\n");
        return 130;
      }
    });
  },
};

/** The ramp settings from their flags; problems name the flag. */
function parseSettings(values: Record<string, unknown>): LrFindSettings {
  const input: Record<string, number> = {};
  for (const [field, flag] of Object.entries(FLAGS)) {
    const value = values[flag];
    if (value === undefined) continue;
    const n = Number(value);
    if (typeof value !== "string" || value.trim() === "" || Number.isNaN(n)) throw new UsageError(`--${flag}: must be a number`);
    input[field] = n;
  }
  const parsed = lrFindSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    zodIssues(parsed.error).map((issue) => ({ ...issue, path: `--${FLAGS[issue.path as keyof LrFindSettings] ?? issue.path}` })),
  );
}
