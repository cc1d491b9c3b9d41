/** Finding a CIFAR-10 source: an explicit path, CIFAR10_SOURCE, or the usual places. Node-only. */
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ValidationError } from "../errors";
import { resolveDataDir, type DataDirOptions } from "./dataDir";
import type { SourceLocation } from "./sourceFiles";

export const OFFICIAL_ARCHIVE_NAME = "cifar-10-binary.tar.gz";

/** Relative to the working directory: the repository's sibling `shared/` folder. */
export const SHARED_ARCHIVE = "../shared/datasets/cifar10-images.tar.gz";

export interface FindSourceOptions extends DataDirOptions {
  /** `--source PATH`; when given, nothing else is searched. */
  source?: string;
}

export const SOURCE_HELP =
  "Point at a source with --source PATH or the CIFAR10_SOURCE environment variable: a cifar-10-batches-bin folder, " +
  "cifar-10-binary.tar.gz, or image folders train/<class>/*.jpg|png and test/<class>/… as a directory or .tar.gz. " +
  "On a machine with internet, `lrlab data prepare --download` fetches the official archive.";

/** Places searched when no source is named, in order. */
export function defaultSourcePlaces(options: DataDirOptions = {}): string[] {
  const dataDir = resolveDataDir(options);
  const cwd = options.cwd ?? process.cwd();
  return [
    join(dataDir, "cifar-10-batches-bin"),
    join(dataDir, OFFICIAL_ARCHIVE_NAME),
    join(dataDir, "cifar10-images.tar.gz"),
    resolve(cwd, SHARED_ARCHIVE),
  ];
}

function sourceError(message: string): ValidationError {
  return new ValidationError([{ path: "source", message }]);
}

const ARCHIVE_NAME = /\.(tar|tar\.gz|tgz)$/i;

/** The source at `path`, or undefined when nothing is there; throws when it is the wrong kind. */
export async function locateSource(path: string): Promise<SourceLocation | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) return { path, container: "directory" };
  if (info.isFile() && ARCHIVE_NAME.test(path)) return { path, container: "archive" };
  throw sourceError(
    `${path} is neither a directory nor a .tar/.tar.gz archive; for the binary release point at the ` +
      "cifar-10-batches-bin folder or cifar-10-binary.tar.gz",
  );
}

/** The source named by `source`, else CIFAR10_SOURCE, else the first of the default places that exists. */
export async function findSource(options: FindSourceOptions = {}): Promise<SourceLocation> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.source
    ? { path: resolve(cwd, options.source), by: "--source" }
    : env.CIFAR10_SOURCE
      ? { path: resolve(cwd, env.CIFAR10_SOURCE), by: "CIFAR10_SOURCE" }
      : undefined;
  if (named) {
    const location = await locateSource(named.path);
    if (!location) throw sourceError(`${named.by} ${named.path} does not exist. ${SOURCE_HELP}`);
    return location;
  }
  const places = defaultSourcePlaces(options);
  for (const place of places) {
    const location = await locateSource(place);
    if (location) return location;
  }
  throw sourceError(
    ["No CIFAR-10 source found. Looked at:", "  CIFAR10_SOURCE (not set)", ...places.map((p) => `  ${p}`), SOURCE_HELP].join("\n"),
  );
}
