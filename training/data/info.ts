/** `data info`: what is prepared, or where a prepare would look. Node-only. */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ValidationError } from "../errors";
import { CacheError, loadCifar10 } from "./cacheRead";
import { CIFAR10_CLASSES, type ClassName } from "./classes";
import { cifarCacheDir, resolveDataDir, type DataDirOptions } from "./dataDir";
import type { SourceInfo } from "./manifest";
import { defaultSourcePlaces, findSource } from "./sources";
import type { SplitName } from "./split";

export interface PreparedSplitInfo {
  count: number;
  classCounts: Record<ClassName, number>;
}

export type DataInfo =
  | {
      prepared: true;
      dataDir: string;
      cacheDir: string;
      source: SourceInfo;
      createdAt: string;
      splits: Record<SplitName, PreparedSplitInfo>;
      bytesOnDisk: number;
    }
  | {
      prepared: false;
      dataDir: string;
      cacheDir: string;
      /** Why there is no usable cache (not prepared, or damaged). */
      problem: string;
      /** Where `data prepare` looks for a source, in order. */
      lookedAt: string[];
      /** The source `data prepare` would use now, or null when none is found. */
      wouldUse: string | null;
    };

function byClass(counts: readonly number[]): Record<ClassName, number> {
  return Object.fromEntries(CIFAR10_CLASSES.map((name, i) => [name, counts[i] ?? 0])) as Record<ClassName, number>;
}

async function directoryBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(dir, e.name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

export async function dataInfo(options: DataDirOptions = {}): Promise<DataInfo> {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir(options);
  const cacheDir = cifarCacheDir(dataDir);
  try {
    // Zero-example loads still check manifest, headers and sizes.
    const { manifest } = await loadCifar10({ dataDir, trainLimit: 0, testLimit: 0 });
    const split = (name: SplitName): PreparedSplitInfo => ({
      count: manifest.splits[name].count,
      classCounts: byClass(manifest.splits[name].classCounts),
    });
    return {
      prepared: true,
      dataDir,
      cacheDir,
      source: manifest.source,
      createdAt: manifest.createdAt,
      splits: { train: split("train"), test: split("test") },
      bytesOnDisk: await directoryBytes(cacheDir),
    };
  } catch (err) {
    if (!(err instanceof CacheError)) throw err;
    const wouldUse = await findSource({ ...options, dataDir }).then(
      (location) => location.path,
      (e: unknown) => {
        if (e instanceof ValidationError) return null;
        throw e;
      },
    );
    return {
      prepared: false,
      dataDir,
      cacheDir,
      problem: err.message,
      lookedAt: env.CIFAR10_SOURCE
        ? [`CIFAR10_SOURCE=${env.CIFAR10_SOURCE}`]
        : ["CIFAR10_SOURCE (not set)", ...defaultSourcePlaces({ ...options, dataDir })],
      wouldUse,
    };
  }
}
