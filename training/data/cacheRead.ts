/**
 * Reading the cache: validated on every open (manifest, header, file size), reading only the
 * bytes asked for (a prefix for training limits, a window for slices). Node-only.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { parseOrThrow, ValidationError } from "../errors";
import { cacheFileBytes, cacheRanges, parseCacheHeader, CACHE_HEADER_BYTES } from "./cacheFormat";
import { cifarCacheDir, resolveDataDir } from "./dataDir";
import { MANIFEST_FILE, ManifestSchema, type Manifest } from "./manifest";
import { encodeSlice } from "./sliceFormat";
import { SplitNameSchema, type Split, type SplitName } from "./split";

/** The cache is missing or damaged; the message says to run `lrlab data prepare`. */
export class CacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CacheError";
  }
}

const REBUILD = "Re-run `lrlab data prepare --force` to rebuild it.";

function damaged(dir: string, what: string): CacheError {
  return new CacheError(`The CIFAR-10 cache in ${dir} is damaged: ${what}. ${REBUILD}`);
}

/** The manifest of the cache in `dataDir`; CacheError when nothing is prepared or it is unreadable. */
export async function readManifest(dataDir: string): Promise<Manifest> {
  const dir = cifarCacheDir(dataDir);
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), "utf8");
  } catch {
    throw new CacheError(
      `CIFAR-10 is not prepared in ${dataDir} (no cifar10/${MANIFEST_FILE}). ` +
        "Run `lrlab data prepare` first (`lrlab data info` shows where it looks for the dataset).",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(dir, `${MANIFEST_FILE} is not valid JSON`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw damaged(dir, `${MANIFEST_FILE} does not match this version's format`);
  return parsed.data;
}

/** Opens a split file after checking its size and header against the manifest. */
async function openSplit(dataDir: string, manifest: Manifest, split: SplitName): Promise<{ handle: FileHandle; count: number }> {
  const dir = cifarCacheDir(dataDir);
  const { file, count } = manifest.splits[split];
  let handle: FileHandle;
  try {
    handle = await open(join(dir, file), "r");
  } catch {
    throw damaged(dir, `${file} is missing`);
  }
  try {
    const size = (await handle.stat()).size;
    const expected = cacheFileBytes(count);
    if (size !== expected) {
      throw damaged(dir, `${file} is ${size} bytes, but ${count} examples take ${expected} (truncated or overwritten)`);
    }
    const header = parseCacheHeader(await readExactly(handle, 0, CACHE_HEADER_BYTES));
    if ("problem" in header) throw damaged(dir, `${file}: ${header.problem}`);
    if (header.count !== count) throw damaged(dir, `${file} holds ${header.count} examples but the manifest says ${count}`);
    return { handle, count };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(out, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new CacheError(`unexpected end of cache file at byte ${position + filled}. ${REBUILD}`);
    filled += bytesRead;
  }
  return out;
}

/** Examples [offset, offset + n) of an opened split file. */
async function readRange(handle: FileHandle, count: number, offset: number, n: number): Promise<Split> {
  const ranges = cacheRanges(count, offset, n);
  const labels = await readExactly(handle, ranges.labels.position, ranges.labels.length);
  const images = await readExactly(handle, ranges.pixels.position, ranges.pixels.length);
  return { images, labels, count: n };
}

async function readSplitRange(
  dataDir: string,
  manifest: Manifest,
  split: SplitName,
  offset: number,
  n?: number,
): Promise<Split & { total: number }> {
  const { handle, count } = await openSplit(dataDir, manifest, split);
  try {
    const take = Math.min(n ?? count, count - offset);
    return { ...(await readRange(handle, count, offset, take)), total: count };
  } finally {
    await handle.close();
  }
}

const limit = z.number().int().nonnegative().optional();
export const LoadOptionsSchema = z.object({
  dataDir: z.string().optional(),
  /** Read only the first N training examples (the cache order makes them class-balanced). */
  trainLimit: limit,
  testLimit: limit,
});
export type LoadOptions = z.infer<typeof LoadOptionsSchema>;

export interface Cifar10 {
  train: Split;
  test: Split;
  manifest: Manifest;
}

/** Loads the prepared cache; limits above the split size read the whole split. */
export async function loadCifar10(options: LoadOptions = {}): Promise<Cifar10> {
  const opts = parseOrThrow(LoadOptionsSchema, options);
  const dataDir = resolveDataDir({ dataDir: opts.dataDir });
  const manifest = await readManifest(dataDir);
  const [train, test] = await Promise.all([
    readSplitRange(dataDir, manifest, "train", 0, opts.trainLimit),
    readSplitRange(dataDir, manifest, "test", 0, opts.testLimit),
  ]);
  const strip = ({ images, labels, count }: Split): Split => ({ images, labels, count });
  return { train: strip(train), test: strip(test), manifest };
}

/** Largest slice served at once (about 30 MB). */
export const MAX_SLICE_EXAMPLES = 10_000;

export const SliceRequestSchema = z.object({
  dataDir: z.string().optional(),
  split: SplitNameSchema,
  offset: z.number().int().nonnegative(),
  count: z.number().int().positive().max(MAX_SLICE_EXAMPLES),
});
export type SliceRequest = z.infer<typeof SliceRequestSchema>;

/**
 * Examples [offset, offset + count) of a split in the slice wire format (see sliceFormat.ts).
 * A count running past the end is cut at the end; an offset at or past the end is an error.
 */
export async function readCacheSlice(request: SliceRequest): Promise<Uint8Array> {
  const req = parseOrThrow(SliceRequestSchema, request);
  const dataDir = resolveDataDir({ dataDir: req.dataDir });
  const manifest = await readManifest(dataDir);
  const total = manifest.splits[req.split].count;
  if (req.offset >= total) {
    throw new ValidationError([
      {
        path: "offset",
        message: `offset ${req.offset} is past the end of the ${req.split} split (${total} examples, offsets 0–${total - 1})`,
      },
    ]);
  }
  const slice = await readSplitRange(dataDir, manifest, req.split, req.offset, req.count);
  return encodeSlice({ ...slice, offset: req.offset });
}

/** Full check: everything `loadCifar10` checks, plus the sha256 of each file. */
export async function verifyCache(dataDir: string): Promise<{ ok: true; manifest: Manifest } | { ok: false; problem: string }> {
  try {
    const manifest = await readManifest(dataDir);
    for (const split of SplitNameSchema.options) {
      const { handle } = await openSplit(dataDir, manifest, split);
      await handle.close();
      const { file, sha256 } = manifest.splits[split];
      if ((await sha256File(join(cifarCacheDir(dataDir), file))) !== sha256) {
        throw damaged(cifarCacheDir(dataDir), `${file} does not match its sha256 in the manifest`);
      }
    }
    return { ok: true, manifest };
  } catch (err) {
    if (err instanceof CacheError) return { ok: false, problem: err.message };
    throw err;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
