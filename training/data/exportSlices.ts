/**
 * `lrlab data export-slices DIR`: the prepared cache cut into fixed-size slice files (the wire
 * format of sliceFormat.ts, exactly what /api/cifar serves), each named by its sha256, plus
 * `index.json` listing them (sliceIndex.ts). Static files a CDN can serve for the preview
 * (LRLAB_DATASET_URL). Node-only.
 */
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { parseOrThrow } from "../errors";
import { CacheError, MAX_SLICE_EXAMPLES, readCacheSlice, verifyCache } from "./cacheRead";
import { resolveDataDir } from "./dataDir";
import { SLICE_INDEX_FILE, SLICE_INDEX_FORMAT, sliceFileName, type SliceFile, type SliceIndex } from "./sliceIndex";
import { SPLIT_NAMES } from "./split";

/** 1,000 examples: about 3 MB a file, so the default preview (2,000 + 500) needs three. */
export const DEFAULT_EXPORT_SLICE_SIZE = 1000;

export const ExportSlicesOptionsSchema = z.object({
  outDir: z.string().min(1),
  dataDir: z.string().optional(),
  sliceSize: z.number().int().min(1).max(MAX_SLICE_EXAMPLES).default(DEFAULT_EXPORT_SLICE_SIZE),
});

/**
 * Writes the slice files, then the index (renamed into place last, so a reader never sees an
 * index naming a file not yet written). Files of earlier exports are left alone: an old index
 * cached somewhere still finds its slices.
 */
export async function exportSlices(
  options: z.input<typeof ExportSlicesOptionsSchema>,
  onProgress?: (done: number, total: number) => void,
): Promise<SliceIndex> {
  const opts = parseOrThrow(ExportSlicesOptionsSchema, options);
  const dataDir = resolveDataDir({ dataDir: opts.dataDir });
  // Published files live forever under their hash: check the cache's checksums before cutting it.
  const verified = await verifyCache(dataDir);
  if (!verified.ok) throw new CacheError(verified.problem);
  const { manifest } = verified;
  await mkdir(opts.outDir, { recursive: true });
  const total = SPLIT_NAMES.reduce((n, split) => n + manifest.splits[split].count, 0);
  let done = 0;
  const splits = {} as SliceIndex["splits"];
  for (const split of SPLIT_NAMES) {
    const count = manifest.splits[split].count;
    const slices: SliceFile[] = [];
    for (let offset = 0; offset < count; offset += opts.sliceSize) {
      const bytes = await readCacheSlice({ dataDir, split, offset, count: opts.sliceSize });
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const file = sliceFileName(split, offset, sha256);
      await writeFile(join(opts.outDir, file), bytes);
      const n = Math.min(opts.sliceSize, count - offset);
      slices.push({ offset, count: n, file, sha256 });
      onProgress?.((done += n), total);
    }
    splits[split] = { count, slices };
  }
  const index: SliceIndex = {
    format: SLICE_INDEX_FORMAT,
    version: 1,
    sliceSize: opts.sliceSize,
    source: { train: manifest.splits.train.sha256, test: manifest.splits.test.sha256 },
    splits,
  };
  const temp = join(opts.outDir, `.${SLICE_INDEX_FILE}.${process.pid}.tmp`);
  await writeFile(temp, JSON.stringify(index, null, 2) + "\n");
  await rename(temp, join(opts.outDir, SLICE_INDEX_FILE));
  return index;
}
