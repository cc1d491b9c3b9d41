/** Reads the real shared CIFAR-10 archive (a few images per class, to stay quick). */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCifar10 } from "./cacheRead";
import { countPerClass, IMAGE_BYTES } from "./classes";
import { prepareCifar10 } from "./prepare";
import { readSourceFiles } from "./sourceFiles";
import { findSource } from "./sources";
import { makeTempDir } from "./testFixtures";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let tmp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(() => tmp.cleanup());

describe("the shared CIFAR-10 archive", () => {
  it("is found from the repository root and prepares a class-balanced subset", async () => {
    const dataDir = join(tmp.dir, "data");
    const location = await findSource({ dataDir, cwd: repoRoot, env: {} });
    expect(location.path).toBe(join(repoRoot, "..", "shared/datasets/cifar10-images.tar.gz"));

    const manifest = await prepareCifar10({ dataDir, cwd: repoRoot, env: {}, maxPerClass: 20 });
    expect(manifest.source).toMatchObject({ format: "images", container: "archive", maxPerClass: 20 });
    expect(manifest.splits.train.classCounts).toEqual(Array(10).fill(20));
    expect(manifest.splits.test.classCounts).toEqual(Array(10).fill(20));

    const { train } = await loadCifar10({ dataDir, trainLimit: 50 });
    for (const count of countPerClass(train.labels)) expect(Math.abs(count - 5)).toBeLessThanOrEqual(1);
    // Real photos: mid-range mean brightness, and not flat.
    const mean = train.images.reduce((a, b) => a + b, 0) / train.images.length;
    expect(mean).toBeGreaterThan(60);
    expect(mean).toBeLessThan(200);
    const first = train.images.subarray(0, IMAGE_BYTES);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(50);

    // The cached airplane images include train/airplane/0000.jpg, decoded pixel for pixel.
    let reference: Uint8Array | undefined;
    for await (const file of readSourceFiles(location, (p) => p === "train/airplane/0000.jpg")) {
      reference = jpeg.decode(file.data, { useTArray: true, formatAsRGBA: false }).data;
    }
    const full = await loadCifar10({ dataDir });
    const found = Array.from({ length: full.train.count }, (_, i) => i).filter(
      (i) =>
        full.train.labels[i] === 0 &&
        Buffer.from(full.train.images.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES)).equals(Buffer.from(reference!)),
    );
    expect(found).toHaveLength(1);
  });
});
