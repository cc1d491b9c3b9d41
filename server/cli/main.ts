/**
 * `npm run --silent lrlab -- <command>`: the training commands from training/cli and the
 * service commands (worker, submit, status) that need the database. Commands load lazily so
 * `schedule` starts instantly and never loads tfjs or pg.
 */
import { runCli } from "../../training/cli/run";
import type { CliCommand } from "../../training/cli/command";

const commands: Record<string, () => Promise<CliCommand>> = {
  schedule: async () => (await import("../../training/cli/commands/schedule")).scheduleCommand,
  race: async () => (await import("../../training/cli/commands/race")).raceCommand,
  train: async () => (await import("../../training/cli/commands/train")).trainCommand,
  "lr-find": async () => (await import("../../training/cli/commands/lrFind")).lrFindCommand,
  tune: async () => (await import("../../training/cli/commands/tune")).tuneCommand,
  "data prepare": async () => (await import("../../training/cli/commands/data")).dataPrepareCommand,
  "data info": async () => (await import("../../training/cli/commands/data")).dataInfoCommand,
  "data export-slices": async () => (await import("../../training/cli/commands/data")).dataExportSlicesCommand,
  worker: async () => (await import("./commands/worker")).workerCommand,
  submit: async () => (await import("./commands/submit")).submitCommand,
  status: async () => (await import("./commands/status")).statusCommand,
  cancel: async () => (await import("./commands/cancel")).cancelCommand,
  "db serve": async () => (await import("./commands/db")).dbServeCommand,
  "db migrate": async () => (await import("./commands/db")).dbMigrateCommand,
};

runCli(process.argv.slice(2), commands).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.LRLAB_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
