/** Where prepared data lives: `<dataDir>/cifar10/`. Node-only. */
import { join, resolve } from "node:path";

export const DEFAULT_DATA_DIR = ".data";

export interface DataDirOptions {
  /** Overrides LRLAB_DATA_DIR and the default `./.data`. */
  dataDir?: string;
  /** Environment variables to read (tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

/** Absolute data directory: the argument, else LRLAB_DATA_DIR, else `./.data`. */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  return resolve(cwd, options.dataDir ?? (env.LRLAB_DATA_DIR || DEFAULT_DATA_DIR));
}

export function cifarCacheDir(dataDir: string): string {
  return join(dataDir, "cifar10");
}
