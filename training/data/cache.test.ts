import { createHash } from "node:crypto";
import { readdir, readFile, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { balancedOrder, cacheOrderSeed } from "./cacheOrder";
import { CacheError, loadCifar10, MAX_SLICE_EXAMPLES, readCacheSlice, verifyCache } from "./cacheRead";
import { IMAGE_BYTES } from "./classes";
import { dataInfo } from "./info";
import { prepareCifar10 } from "./prepare";
import type { PreparePhase } from "./progress";
import { decodeSlice } from "./sliceFormat";
import type { Split } from "./split";
import { binaryReleaseFiles, makeTempDir, writeTree } from "./testFixtures";

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let source: string;
// 30 records per file: 150 train, 30 test, labels cycling 0–9.
const { files, expected } = binaryReleaseFiles(30);
const noEnv = { env: {} };

beforeAll(async () => {
  tmp = await makeTempDir();
  await writeTree(tmp.dir, files);
  source = join(tmp.dir, "cifar-10-batches-bin");
});
afterAll(() => tmp.cleanup());

let counter = 0;
async function prepared(extra: { maxPerClass?: number } = {}) {
  const dataDir = join(tmp.dir, `data${counter++}`);
  const manifest = await prepareCifar10({ source, dataDir, ...noEnv, ...extra });
  return { dataDir, manifest };
}

const image = (split: Split, i: number) => Buffer.from(split.images.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES));

describe("prepare and load", () => {
  it("writes a manifest with counts, class counts and checksums, and the examples in the fixed balanced order", async () => {
    const phases = new Map<PreparePhase, [number, number]>();
    const dataDir = join(tmp.dir, "progress");
    const manifest = await prepareCifar10({
      source,
      dataDir,
      ...noEnv,
      onProgress: (done, total, phase) => phases.set(phase, [done, total]),
    });
    expect([...phases.keys()]).toEqual(["read", "decode", "write"]);
    expect(phases.get("write")).toEqual([180, 180]);
    expect(manifest.source).toMatchObject({ path: source, container: "directory", format: "binary", maxPerClass: null });
    expect(manifest.splits.train).toMatchObject({ count: 150, classCounts: Array(10).fill(15), file: "train.bin" });
    expect(manifest.splits.test.count).toBe(30);
    const bytes = await readFile(join(dataDir, "cifar10", "train.bin"));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(manifest.splits.train.sha256);
    expect(bytes.length).toBe(manifest.splits.train.bytes);
    expect((await readdir(join(dataDir, "cifar10"))).sort()).toEqual(["manifest.json", "test.bin", "train.bin"]);

    const { train, test } = await loadCifar10({ dataDir });
    for (const [loaded, original, name] of [
      [train, expected.train, "train"],
      [test, expected.test, "test"],
    ] as const) {
      const order = balancedOrder(original.labels, cacheOrderSeed(name));
      expect(loaded.count).toBe(original.count);
      for (let k = 0; k < loaded.count; k++) {
        expect(loaded.labels[k]).toBe(original.labels[order[k]!]);
        expect(image(loaded, k).equals(image(original, order[k]!))).toBe(true);
      }
    }
  });

  it("reads only a prefix with trainLimit / testLimit", async () => {
    const { dataDir } = await prepared();
    const full = await loadCifar10({ dataDir });
    const some = await loadCifar10({ dataDir, trainLimit: 20, testLimit: 0 });
    expect(some.train.count).toBe(20);
    expect(some.train.images.length).toBe(20 * IMAGE_BYTES);
    expect(some.train.labels).toEqual(full.train.labels.subarray(0, 20));
    expect(Buffer.from(some.train.images).equals(Buffer.from(full.train.images.subarray(0, 20 * IMAGE_BYTES)))).toBe(true);
    expect(new Set(some.train.labels).size).toBe(10); // a prefix of the balanced order holds every class
    expect(some.test.count).toBe(0);
    expect((await loadCifar10({ dataDir, trainLimit: 10_000 })).train.count).toBe(150);
    await expect(loadCifar10({ dataDir, trainLimit: -1 })).rejects.toThrow(ValidationError);
  });

  it("reuses a valid cache of the same source, and rebuilds with force or other options", async () => {
    const { dataDir, manifest } = await prepared();
    expect((await prepareCifar10({ source, dataDir, ...noEnv })).createdAt).toBe(manifest.createdAt);
    // No source found, but a valid cache: keep it.
    expect((await prepareCifar10({ dataDir, cwd: tmp.dir, ...noEnv })).createdAt).toBe(manifest.createdAt);
    await new Promise((r) => setTimeout(r, 5));
    const forced = await prepareCifar10({ source, dataDir, force: true, ...noEnv });
    expect(forced.createdAt).not.toBe(manifest.createdAt);
    const limited = await prepareCifar10({ source, dataDir, maxPerClass: 2, ...noEnv });
    expect(limited.splits.train.count).toBe(20);
  });

  it("rejects --download together with --source", async () => {
    await expect(prepareCifar10({ source, download: true, dataDir: join(tmp.dir, "x"), ...noEnv })).rejects.toThrow(
      /either --download or --source/,
    );
  });
});

describe("damaged caches", () => {
  it("says nothing is prepared when there is no cache", async () => {
    await expect(loadCifar10({ dataDir: join(tmp.dir, "none") })).rejects.toThrow(
      /CIFAR-10 is not prepared in .*none.*Run `lrlab data prepare` first/,
    );
  });

  it("detects a truncated split file and tells to re-run prepare; prepare then rebuilds", async () => {
    const { dataDir, manifest } = await prepared();
    const file = join(dataDir, "cifar10", "train.bin");
    await truncate(file, manifest.splits.train.bytes - 100);
    const error = await loadCifar10({ dataDir, trainLimit: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as Error).message).toMatch(/train\.bin is \d+ bytes, but 150 examples take \d+ .*Re-run `lrlab data prepare --force`/);
    expect((await verifyCache(dataDir)).ok).toBe(false);
    const rebuilt = await prepareCifar10({ source, dataDir, ...noEnv });
    expect(rebuilt.createdAt).not.toBe(manifest.createdAt);
    expect((await loadCifar10({ dataDir })).train.count).toBe(150);
  });

  it("detects a bad header, a count mismatch, flipped bytes and a broken manifest", async () => {
    const { dataDir } = await prepared();
    const dir = join(dataDir, "cifar10");
    const test = await readFile(join(dir, "test.bin"));
    await writeFile(join(dir, "test.bin"), Buffer.concat([Buffer.from("XXXXXXXX"), test.subarray(8)]));
    await expect(loadCifar10({ dataDir })).rejects.toThrow(/test\.bin: it does not start with the LR Lab CIFAR-10 cache magic/);

    const flipped = Buffer.from(test);
    flipped[flipped.length - 1] = 255 - flipped[flipped.length - 1]!;
    await writeFile(join(dir, "test.bin"), flipped);
    await loadCifar10({ dataDir }); // the cheap check passes...
    expect(await verifyCache(dataDir)).toMatchObject({ ok: false, problem: expect.stringMatching(/test\.bin does not match its sha256/) }); // ...the full one does not

    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    manifest.splits.test.count = 29;
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
    await expect(loadCifar10({ dataDir })).rejects.toThrow(/test\.bin is 92206 bytes, but 29 examples take 89133/);
    await writeFile(join(dir, "manifest.json"), "{");
    await expect(loadCifar10({ dataDir })).rejects.toThrow(/manifest\.json is not valid JSON/);
  });
});

describe("slices", () => {
  it("serves a window of a split in the slice format, cut at the end", async () => {
    const { dataDir } = await prepared();
    const { test } = await loadCifar10({ dataDir });
    const slice = decodeSlice(await readCacheSlice({ dataDir, split: "test", offset: 5, count: 10 }));
    expect(slice).toMatchObject({ offset: 5, count: 10, total: 30 });
    expect(slice.labels).toEqual(test.labels.subarray(5, 15));
    expect(Buffer.from(slice.images).equals(Buffer.from(test.images.subarray(5 * IMAGE_BYTES, 15 * IMAGE_BYTES)))).toBe(true);
    const tail = decodeSlice(await readCacheSlice({ dataDir, split: "test", offset: 25, count: 100 }));
    expect(tail).toMatchObject({ offset: 25, count: 5, total: 30 });
    expect(Buffer.from(tail.images).equals(Buffer.from(test.images.subarray(25 * IMAGE_BYTES)))).toBe(true);
  });

  it("rejects offsets and counts outside the dataset", async () => {
    const { dataDir } = await prepared();
    await expect(readCacheSlice({ dataDir, split: "test", offset: 30, count: 1 })).rejects.toThrow(
      "offset: offset 30 is past the end of the test split (30 examples, offsets 0–29)",
    );
    await expect(readCacheSlice({ dataDir, split: "train", offset: -1, count: 1 })).rejects.toThrow(/^offset:/);
    await expect(readCacheSlice({ dataDir, split: "train", offset: 0, count: 0 })).rejects.toThrow(/^count:/);
    await expect(readCacheSlice({ dataDir, split: "train", offset: 0, count: MAX_SLICE_EXAMPLES + 1 })).rejects.toThrow(/^count:/);
    await expect(readCacheSlice({ dataDir, split: "valid" as "test", offset: 0, count: 1 })).rejects.toThrow(/^split:/);
  });

  it("decodeSlice rejects truncated or foreign data", async () => {
    const { dataDir } = await prepared();
    const bytes = await readCacheSlice({ dataDir, split: "train", offset: 0, count: 3 });
    expect(() => decodeSlice(bytes.subarray(0, bytes.length - 1))).toThrow(/should be 9239 bytes but is 9238/);
    expect(() => decodeSlice(new Uint8Array(40))).toThrow(/not a CIFAR-10 slice/);
    expect(decodeSlice(bytes.slice().buffer).count).toBe(3);
  });
});

describe("dataInfo", () => {
  it("describes a prepared cache", async () => {
    const { dataDir } = await prepared();
    const info = await dataInfo({ dataDir, ...noEnv });
    if (!info.prepared) throw new Error(info.problem);
    expect(info.splits.train.classCounts).toMatchObject({ airplane: 15, truck: 15 });
    expect(info.splits.test.count).toBe(30);
    expect(info.source.path).toBe(source);
    const sizes = await Promise.all(
      ["manifest.json", "train.bin", "test.bin"].map(async (f) => (await stat(join(dataDir, "cifar10", f))).size),
    );
    expect(info.bytesOnDisk).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it("says where it would look when nothing is prepared", async () => {
    const dataDir = join(tmp.dir, "empty-data");
    const info = await dataInfo({ dataDir, cwd: tmp.dir, ...noEnv });
    expect(info.prepared).toBe(false);
    if (info.prepared) return;
    expect(info.problem).toMatch(/not prepared/);
    expect(info.lookedAt).toEqual([
      "CIFAR10_SOURCE (not set)",
      join(dataDir, "cifar-10-batches-bin"),
      join(dataDir, "cifar-10-binary.tar.gz"),
      join(dataDir, "cifar10-images.tar.gz"),
      join(tmp.dir, "..", "shared/datasets/cifar10-images.tar.gz"),
    ]);
    expect(info.wouldUse).toBeNull();
    const withEnv = await dataInfo({ dataDir, env: { CIFAR10_SOURCE: source } });
    expect(withEnv).toMatchObject({ prepared: false, wouldUse: source, lookedAt: [`CIFAR10_SOURCE=${source}`] });
  });
});
