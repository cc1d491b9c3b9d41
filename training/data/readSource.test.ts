import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { IMAGE_BYTES } from "./classes";
import { readCifar10Source } from "./readSource";
import type { SourceLocation } from "./sourceFiles";
import type { Split } from "./split";
import {
  binaryReleaseFiles,
  encodeJpeg,
  encodePng,
  imageFolderFiles,
  makeTempDir,
  smoothImage,
  tarball,
  writeTree,
  type FixtureFile,
} from "./testFixtures";

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  tmp = await makeTempDir();
});
afterAll(() => tmp.cleanup());

let counter = 0;
async function asDirectory(files: readonly FixtureFile[]): Promise<SourceLocation> {
  const path = join(tmp.dir, `dir${counter++}`);
  await writeTree(path, files);
  return { path, container: "directory" };
}
async function asArchive(files: readonly FixtureFile[], gzip = true): Promise<SourceLocation> {
  const path = join(tmp.dir, `archive${counter++}.tar${gzip ? ".gz" : ""}`);
  await writeFile(path, await tarball(files, gzip));
  return { path, container: "archive" };
}

function expectSplit(actual: Split, expected: Split) {
  expect(actual.count).toBe(expected.count);
  expect([...actual.labels]).toEqual([...expected.labels]);
  expect(Buffer.from(actual.images).equals(Buffer.from(expected.images))).toBe(true);
}

describe("readCifar10Source: binary release", () => {
  const { files, expected } = binaryReleaseFiles(4);

  it("reads a cifar-10-batches-bin directory (planar → HWC) and its parent with the wrapper", async () => {
    const parent = await asDirectory(files);
    const inner: SourceLocation = { path: join(parent.path, "cifar-10-batches-bin"), container: "directory" };
    for (const location of [inner, parent]) {
      const data = await readCifar10Source(location);
      expect(data.format).toBe("binary");
      expectSplit(data.train, expected.train);
      expectSplit(data.test, expected.test);
    }
    expect(expected.train.count).toBe(20);
    expect(expected.test.count).toBe(4);
  });

  it("reads cifar-10-binary.tar.gz and a plain .tar, in any entry order", async () => {
    for (const location of [await asArchive([...files].reverse()), await asArchive(files, false)]) {
      const data = await readCifar10Source(location);
      expectSplit(data.train, expected.train);
      expectSplit(data.test, expected.test);
    }
  });

  it("keeps the first N of each class with maxPerClass", async () => {
    const data = await readCifar10Source(await asArchive(files), { maxPerClass: 1 });
    expect([...data.train.labels]).toEqual([...Array(10).keys()]);
    expect(Buffer.from(data.train.images).equals(Buffer.from(expected.train.images.subarray(0, 10 * IMAGE_BYTES)))).toBe(true);
    expect(data.test.count).toBe(4);
  });

  it("names missing and damaged files", async () => {
    const missing = await asArchive(files.filter((f) => !f.name.endsWith("data_batch_4.bin")));
    await expect(readCifar10Source(missing)).rejects.toThrow(/lacks data_batch_4\.bin of the CIFAR-10 binary release/);
    const cut = files.map((f) => (f.name.endsWith("test_batch.bin") ? { ...f, data: f.data.subarray(0, 5000) } : f));
    await expect(readCifar10Source(await asArchive(cut))).rejects.toThrow(/test_batch\.bin is 5000 bytes, not a whole number/);
  });

  it("reports a truncated archive clearly", async () => {
    const whole = await tarball(files);
    const path = join(tmp.dir, "cut.tar.gz");
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(readCifar10Source({ path, container: "archive" })).rejects.toThrow(/could not read the archive .*cut\.tar\.gz/);
  });
});

describe("readCifar10Source: image folders", () => {
  it("reads PNG exactly and JPEG within tolerance, labels from class folders", async () => {
    const png = imageFolderFiles({ perClass: 2, format: "png" });
    const data = await readCifar10Source(await asDirectory(png.files), { onProgress: () => undefined });
    expect(data.format).toBe("images");
    expect(data.train.count).toBe(20);
    expect(data.test.count).toBe(20);
    // Canonical order: label, then file name; fixtures are generated in that order.
    const train = png.images.filter((i) => i.name.startsWith("train/"));
    expect([...data.train.labels]).toEqual(train.map((i) => i.label));
    train.forEach((image, k) => {
      expect(Buffer.from(data.train.images.subarray(k * IMAGE_BYTES, (k + 1) * IMAGE_BYTES)).equals(Buffer.from(image.rgb))).toBe(true);
    });

    const jpg = imageFolderFiles({ perClass: 1, format: "jpg" });
    const fromJpeg = await readCifar10Source(await asDirectory(jpg.files));
    const test = jpg.images.filter((i) => i.name.startsWith("test/"));
    let worst = 0;
    test.forEach((image, k) => {
      const got = fromJpeg.test.images.subarray(k * IMAGE_BYTES, (k + 1) * IMAGE_BYTES);
      image.rgb.forEach((v, p) => (worst = Math.max(worst, Math.abs(v - got[p]!))));
    });
    expect(worst).toBeGreaterThan(0); // lossy, so an exact match would mean we compared the wrong thing
    expect(worst).toBeLessThan(24);
  });

  it("reads an image-folder .tar.gz with one wrapper folder, ignoring junk files", async () => {
    const { files, images } = imageFolderFiles({ perClass: 1, format: "png", wrapper: "CIFAR-10-images" });
    const junk = [
      { name: "CIFAR-10-images/README.md", data: Buffer.from("hi") },
      { name: "CIFAR-10-images/train/cat/.DS_Store", data: Buffer.from("x") },
      { name: "__MACOSX/CIFAR-10-images/train/cat/._0000.png", data: Buffer.from("x") },
    ];
    const data = await readCifar10Source(await asArchive([...junk, ...[...files].reverse()]));
    expect(data.train.count).toBe(10);
    const cat = images.find((i) => i.name === "CIFAR-10-images/test/cat/0000.png")!;
    expect(Buffer.from(data.test.images.subarray(3 * IMAGE_BYTES, 4 * IMAGE_BYTES)).equals(Buffer.from(cat.rgb))).toBe(true);
  });

  it("rejects an unknown class folder, naming it and the expected names", async () => {
    const { files } = imageFolderFiles({ perClass: 1, format: "png" });
    const bad = [...files, { name: "train/kitten/0000.png", data: encodePng(smoothImage(1)) }];
    const error = await readCifar10Source(await asArchive(bad)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /unknown class folder "train\/kitten".*airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck/,
    );
  });

  it("rejects images that are not 32×32, naming the file", async () => {
    const { files } = imageFolderFiles({ perClass: 1, format: "jpg" });
    const big = [...files, { name: "test/ship/0099.jpg", data: encodeJpeg(smoothImage(3, 64, 48), 64, 48) }];
    await expect(readCifar10Source(await asDirectory(big))).rejects.toThrow(
      /test\/ship\/0099\.jpg is 64×48 pixels; CIFAR-10 images must be 32×32 RGB/,
    );
    const broken = [...files, { name: "train/dog/0042.png", data: Buffer.from("not a png") }];
    await expect(readCifar10Source(await asDirectory(broken))).rejects.toThrow(/train\/dog\/0042\.png could not be decoded as PNG/);
  });

  it("rejects sources with a missing split, two roots, or no data", async () => {
    const { files } = imageFolderFiles({ perClass: 1, format: "png" });
    await expect(readCifar10Source(await asDirectory(files.filter((f) => f.name.startsWith("train/"))))).rejects.toThrow(
      /no test images found/,
    );
    const twoRoots = [...files.map((f) => ({ ...f, name: `a/${f.name}` })), ...files.map((f) => ({ ...f, name: `b/${f.name}` }))];
    await expect(readCifar10Source(await asArchive(twoRoots))).rejects.toThrow(/more than one folder \("a" and "b"\)/);
    const empty = join(tmp.dir, "empty");
    await mkdir(empty);
    await expect(readCifar10Source({ path: empty, container: "directory" })).rejects.toThrow(
      /no CIFAR-10 data found in .*empty: expected the binary release/,
    );
  });
});
