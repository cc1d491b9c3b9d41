import type { CliCommand } from "../command";
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
