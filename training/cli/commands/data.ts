import { intOption, UsageError, type CliCommand } from "../command";
import { progressBar } from "../progress";

const dataDirOption = { "data-dir": { type: "string" as const } };
const dataDirOf = (values: Record<string, unknown>) => (typeof values["data-dir"] === "string" ? values["data-dir"] : undefined);

export const dataPrepareCommand: CliCommand = {
  name: "data prepare",
  summary: "Decode CIFAR-10 once into the compact cache the trainer reads (default ./.data)",
  usage: "data prepare [--source PATH] [--download] [--force] [--data-dir DIR]",
  options: {
    source: { type: "string" },
    download: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    ...dataDirOption,
  },
  async run(values) {
    const { prepareCifar10 } = await import("../../data/node");
    const bar = progressBar("prepare");
    const manifest = await prepareCifar10({
      source: typeof values.source === "string" ? values.source : undefined,
      dataDir: dataDirOf(values),
      download: values.download === true,
      force: values.force === true,
      onProgress: (done, total, phase) => bar.update(done, total, phase),
    });
    bar.done();
    process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
    return 0;
  },
};

export const dataInfoCommand: CliCommand = {
  name: "data info",
  summary: "Show what CIFAR-10 data is prepared, or where a source is looked for",
  usage: "data info [--data-dir DIR]",
  options: { ...dataDirOption },
  async run(values) {
    const { dataInfo } = await import("../../data/node");
    process.stdout.write(JSON.stringify(await dataInfo({ dataDir: dataDirOf(values) }), null, 2) + "\n");
    return 0;
  },
};

export const dataExportSlicesCommand: CliCommand = {
  name: "data export-slices",
  summary: "Write the prepared cache as content-hashed slice files + index.json, for a CDN (LRLAB_DATASET_URL)",
  usage: "data export-slices DIR [--slice-size N] [--data-dir DIR]",
  options: { "slice-size": { type: "string" }, ...dataDirOption },
  allowPositionals: true,
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError("DIR: expects exactly one output directory");
    const { exportSlices, MAX_SLICE_EXAMPLES } = await import("../../data/node");
    const sliceSize = intOption(values, "slice-size", 1, MAX_SLICE_EXAMPLES);
    const bar = progressBar("export");
    const index = await exportSlices({ outDir: positionals[0]!, dataDir: dataDirOf(values), sliceSize }, (done, total) =>
      bar.update(done, total),
    );
    bar.done();
    const files = index.splits.train.slices.length + index.splits.test.slices.length;
    process.stdout.write(`${JSON.stringify({ dir: positionals[0], sliceSize: index.sliceSize, files })}\n`);
    return 0;
  },
};
