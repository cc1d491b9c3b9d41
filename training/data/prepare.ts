/** `data prepare`: decode a source once into the cache, or reuse a valid cache of the same source. Node-only. */
import { z } from "zod";
import { parseOrThrow, ValidationError } from "../errors";
import { verifyCache } from "./cacheRead";
import { writeCache } from "./cacheWrite";
import { resolveDataDir } from "./dataDir";
import { downloadOfficialArchive } from "./fetchOfficial";
import { classifyPath } from "./layout";
import type { Manifest, SourceInfo } from "./manifest";
import type { ProgressFn } from "./progress";
import { readCifar10Source, type SourceFormat } from "./readSource";
import { sourceBytes, type SourceLocation } from "./sourceFiles";
import { findSource } from "./sources";

export const PrepareOptionsSchema = z.object({
  /** Directory or archive; else CIFAR10_SOURCE, else the usual places (see sources.ts). */
  source: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  /** Fetch the official archive (true), or from another URL with its md5 (tests, mirrors). */
  download: z
    .union([z.boolean(), z.object({ url: z.url(), md5: z.string().regex(/^[0-9a-fA-F]{32}$/, "must be 32 hex digits") })])
    .optional(),
  /** Rebuild even when a valid cache of the same source exists. */
  force: z.boolean().optional(),
  /** Keep only the first N images of each class per split (quick checks). */
  maxPerClass: z.number().int().positive().optional(),
});
export type PrepareOptions = z.infer<typeof PrepareOptionsSchema> & {
  onProgress?: ProgressFn;
  /** Environment variables to read (tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
};

function describe(location: SourceLocation, format: SourceFormat, maxPerClass: number | null): string {
  const what = format === "binary" ? "CIFAR-10 binary release" : "CIFAR-10 image folders";
  const limited = maxPerClass === null ? "" : `, first ${maxPerClass} per class`;
  return `${what} (${location.container} ${location.path}${limited})`;
}

function sameSource(cached: SourceInfo, location: SourceLocation, bytes: number, maxPerClass: number | null): boolean {
  return (
    cached.path === location.path && cached.container === location.container && cached.bytes === bytes && cached.maxPerClass === maxPerClass
  );
}

export async function prepareCifar10(options: PrepareOptions = {}): Promise<Manifest> {
  const { onProgress, env = process.env, cwd = process.cwd() } = options;
  const opts = parseOrThrow(PrepareOptionsSchema, {
    source: options.source,
    dataDir: options.dataDir,
    download: options.download,
    force: options.force,
    maxPerClass: options.maxPerClass,
  });
  if (opts.download && opts.source) {
    throw new ValidationError([
      { path: "download", message: "--download fetches the official archive; give either --download or --source, not both" },
    ]);
  }
  const dataDir = resolveDataDir({ dataDir: opts.dataDir, env, cwd });
  const maxPerClass = opts.maxPerClass ?? null;

  let location: SourceLocation;
  try {
    location = opts.download
      ? {
          path: await downloadOfficialArchive({
            dataDir,
            ...(typeof opts.download === "object" ? opts.download : {}),
            onProgress,
          }),
          container: "archive",
        }
      : await findSource({ source: opts.source, dataDir, env, cwd });
  } catch (err) {
    // Nothing to read, but a good cache from an earlier run is still a good cache.
    const searched = !opts.source && !env.CIFAR10_SOURCE && !opts.download;
    if (searched && !opts.force && err instanceof ValidationError) {
      const existing = await verifyCache(dataDir);
      if (existing.ok && existing.manifest.source.maxPerClass === maxPerClass) return existing.manifest;
    }
    throw err;
  }

  const isData = (relPath: string) => classifyPath(relPath) !== null;
  const bytes = await sourceBytes(location, isData);
  if (!opts.force) {
    const existing = await verifyCache(dataDir);
    if (existing.ok && sameSource(existing.manifest.source, location, bytes, maxPerClass)) return existing.manifest;
  }
  const data = await readCifar10Source(location, { maxPerClass: opts.maxPerClass, onProgress });
  const source: SourceInfo = {
    path: location.path,
    container: location.container,
    format: data.format,
    bytes,
    maxPerClass,
    description: describe(location, data.format, maxPerClass),
  };
  return writeCache(dataDir, data, source, onProgress);
}
