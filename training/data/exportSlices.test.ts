import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { fetchSplit } from "../preview/slices";
import { readSliceSet } from "../preview/staticSlices";
import { readCacheSlice } from "./cacheRead";
import { exportSlices } from "./exportSlices";
import { prepareCifar10 } from "./prepare";
import { decodeSlice } from "./sliceFormat";
import { SliceIndexSchema, type SliceIndex } from "./sliceIndex";
import type { SplitName } from "./split";
import { binaryReleaseFiles, makeTempDir, writeTree } from "./testFixtures";

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let outDir: string;
let index: SliceIndex;
const BASE = "https://cdn.example/cifar";

/** A fetch serving `dir` at BASE, as a static host would; counts requests per file. */
function staticHost(dir: string, hits: string[] = []): typeof fetch {
  return async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (!url.startsWith(`${BASE}/`)) return new Response("not found", { status: 404 });
    const name = url.slice(BASE.length + 1);
    hits.push(name);
    try {
      return new Response(await readFile(join(dir, name)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}

beforeAll(async () => {
  tmp = await makeTempDir();
  // 30 records per file: 150 train and 30 test examples.
  await writeTree(tmp.dir, binaryReleaseFiles(30).files);
  dataDir = join(tmp.dir, "data");
  await prepareCifar10({ source: join(tmp.dir, "cifar-10-batches-bin"), dataDir, env: {} });
  outDir = join(tmp.dir, "slices");
  index = await exportSlices({ outDir, dataDir, sliceSize: 40 });
});
afterAll(() => tmp.cleanup());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("exportSlices", () => {
  it("writes fixed-size slices named by their sha256 and an index listing exactly them", async () => {
    const onDisk = SliceIndexSchema.parse(JSON.parse(await readFile(join(outDir, "index.json"), "utf8")));
    expect(onDisk).toEqual(index);
    expect(index.sliceSize).toBe(40);
    expect(index.splits.train.count).toBe(150);
    expect(index.splits.train.slices.map((s) => [s.offset, s.count])).toEqual([
      [0, 40],
      [40, 40],
      [80, 40],
      [120, 30],
    ]);
    expect(index.splits.test.slices.map((s) => [s.offset, s.count])).toEqual([[0, 30]]);
    const manifest = JSON.parse(await readFile(join(dataDir, "cifar10", "manifest.json"), "utf8")) as {
      splits: Record<SplitName, { sha256: string }>;
    };
    expect(index.source).toEqual({ train: manifest.splits.train.sha256, test: manifest.splits.test.sha256 });
    const listed = [...index.splits.train.slices, ...index.splits.test.slices];
    expect((await readdir(outDir)).sort()).toEqual([...listed.map((s) => s.file), "index.json"].sort());
    for (const split of ["train", "test"] as const) {
      for (const entry of index.splits[split].slices) {
        const bytes = await readFile(join(outDir, entry.file));
        expect(sha256(bytes)).toBe(entry.sha256);
        expect(entry.file).toBe(`${split}-${entry.offset}-${entry.sha256.slice(0, 16)}.bin`);
        // Each file is byte for byte what /api/cifar serves for the same window.
        expect(Buffer.compare(bytes, await readCacheSlice({ dataDir, split, offset: entry.offset, count: entry.count }))).toBe(0);
      }
    }
  });

  it("names the same content the same way when exported again", async () => {
    const again = await exportSlices({ outDir: join(tmp.dir, "again"), dataDir, sliceSize: 40 });
    expect(again).toEqual(index);
  });

  it("rejects a slice size out of range, naming the field", async () => {
    await expect(exportSlices({ outDir: join(tmp.dir, "bad"), dataDir, sliceSize: 0 })).rejects.toThrow(ValidationError);
    await expect(exportSlices({ outDir: join(tmp.dir, "bad"), dataDir, sliceSize: 0 })).rejects.toThrow(/sliceSize/);
  });
});

describe("reading through the index", () => {
  const ranges: [SplitName, number, number][] = [
    ["train", 0, 150],
    ["train", 10, 20], // inside one slice
    ["train", 35, 10], // across one boundary
    ["train", 39, 42], // across two boundaries
    ["train", 40, 40], // exactly one slice
    ["train", 120, 100], // runs past the end: cut there
    ["test", 5, 25],
  ];
  it.each(ranges)("%s [%i, +%i) equals the cache reader's examples, fetching only the covering slices", async (split, offset, count) => {
    const hits: string[] = [];
    const got = await readSliceSet({ base: BASE, index, split, offset, count, fetch: staticHost(outDir, hits) });
    const want = decodeSlice(await readCacheSlice({ dataDir, split, offset, count }));
    expect(got.count).toBe(want.count);
    expect(got.total).toBe(want.total);
    expect(Buffer.compare(got.labels, want.labels)).toBe(0);
    expect(Buffer.compare(got.images, want.images)).toBe(0);
    const firstSlice = Math.floor(offset / 40);
    const lastSlice = Math.floor((offset + want.count - 1) / 40);
    expect(hits).toEqual(index.splits[split].slices.slice(firstSlice, lastSlice + 1).map((s) => s.file));
  });

  it("fetchSplit with a dataset URL yields the same bytes as through /api/cifar's reader", async () => {
    const progress: number[] = [];
    const got = await fetchSplit({
      datasetUrl: `${BASE}/`,
      split: "train",
      count: 100,
      fetch: staticHost(outDir),
      onProgress: (n) => progress.push(n),
    });
    const want = decodeSlice(await readCacheSlice({ dataDir, split: "train", offset: 0, count: 100 }));
    expect(Buffer.compare(got.images, want.images)).toBe(0);
    expect(Buffer.compare(got.labels, want.labels)).toBe(0);
    expect(progress).toEqual([40, 80, 100]);
  });

  it("refuses a slice file whose bytes do not match its hash, and a missing index", async () => {
    const copy = join(tmp.dir, "tampered");
    const tamperedIndex = await exportSlices({ outDir: copy, dataDir, sliceSize: 40 });
    const file = join(copy, tamperedIndex.splits.train.slices[1]!.file);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    await writeFile(file, bytes);
    await expect(
      readSliceSet({ base: BASE, index: tamperedIndex, split: "train", offset: 30, count: 20, fetch: staticHost(copy) }),
    ).rejects.toThrow(/does not match its sha256/);
    await expect(fetchSplit({ datasetUrl: BASE, split: "train", count: 10, fetch: staticHost(join(tmp.dir, "none")) })).rejects.toThrow(
      /HTTP 404 .*index\.json/,
    );
  });
});
