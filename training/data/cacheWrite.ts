/**
 * Writes the cache: each split in its fixed class-balanced order, then the manifest, which is
 * the commit marker (removed first, written last; every file goes temp → rename). Node-only.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { balancedOrder, cacheOrderSeed } from "./cacheOrder";
import { cacheFileBytes, encodeCacheHeader } from "./cacheFormat";
import { countPerClass, IMAGE_BYTES } from "./classes";
import { cifarCacheDir } from "./dataDir";
import { MANIFEST_FILE, MANIFEST_FORMAT_VERSION, type CachedSplit, type Manifest, type SourceInfo } from "./manifest";
import type { ProgressFn } from "./progress";
import { SPLIT_NAMES, type Split, type SplitName } from "./split";

const CHUNK_EXAMPLES = 1024;

function tempName(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** Writes `data` to a fresh temp file and renames it over `path`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempName(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

export async function writeCache(
  dataDir: string,
  data: Record<SplitName, Split>,
  source: SourceInfo,
  onProgress?: ProgressFn,
): Promise<Manifest> {
  const dir = cifarCacheDir(dataDir);
  await mkdir(dir, { recursive: true });
  await rm(join(dir, MANIFEST_FILE), { force: true });
  const total = data.train.count + data.test.count;
  let written = 0;
  const splits = {} as Record<SplitName, CachedSplit>;
  for (const name of SPLIT_NAMES) {
    const file = `${name}.bin`;
    const orderSeed = cacheOrderSeed(name);
    const sha256 = await writeSplitFile(
      join(dir, file),
      data[name],
      balancedOrder(data[name].labels.subarray(0, data[name].count), orderSeed),
      (n) => {
        onProgress?.(written + n, total, "write");
      },
    );
    written += data[name].count;
    splits[name] = {
      file,
      count: data[name].count,
      bytes: cacheFileBytes(data[name].count),
      sha256,
      classCounts: countPerClass(data[name].labels.subarray(0, data[name].count)),
      orderSeed,
    };
  }
  const manifest: Manifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    dataset: "cifar10",
    source,
    createdAt: new Date().toISOString(),
    splits,
  };
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Streams the split in `order` to a temp file, renames it into place, returns its sha256. */
async function writeSplitFile(path: string, split: Split, order: Uint32Array, onWritten: (n: number) => void): Promise<string> {
  const temp = tempName(path);
  const hash = createHash("sha256");
  const handle = await open(temp, "w");
  try {
    const put = async (bytes: Uint8Array) => {
      hash.update(bytes);
      await handle.write(bytes);
    };
    await put(encodeCacheHeader(split.count));
    const labels = new Uint8Array(split.count);
    order.forEach((index, k) => {
      labels[k] = split.labels[index]!;
    });
    await put(labels);
    const chunk = new Uint8Array(CHUNK_EXAMPLES * IMAGE_BYTES);
    for (let start = 0; start < split.count; start += CHUNK_EXAMPLES) {
      const n = Math.min(CHUNK_EXAMPLES, split.count - start);
      for (let k = 0; k < n; k++) {
        const index = order[start + k]!;
        chunk.set(split.images.subarray(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES), k * IMAGE_BYTES);
      }
      await put(chunk.subarray(0, n * IMAGE_BYTES));
      onWritten(start + n);
    }
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  return hash.digest("hex");
}
