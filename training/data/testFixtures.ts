/** Small generated CIFAR-10 sources for tests, written to temp dirs. Node-only; tests only. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import * as tar from "tar-stream";
import { BINARY_FILES } from "./binaryFormat";
import { CHANNELS, CIFAR10_CLASSES, IMAGE_BYTES, IMAGE_SIZE } from "./classes";
import type { Split } from "./split";

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "lrlab-data-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Known pixel value of fixture record `record` (0-based across a split) at (row, col, channel). */
export function fixturePixel(record: number, row: number, col: number, channel: number): number {
  return (record * 37 + channel * 85 + row * 7 + col * 3) & 255;
}

/** Records in the official layout (label byte, then R, G, B planes), with fixturePixel values. */
export function binaryRecords(labels: readonly number[], firstRecord: number): Buffer {
  const plane = IMAGE_SIZE * IMAGE_SIZE;
  const out = Buffer.alloc(labels.length * (1 + IMAGE_BYTES));
  labels.forEach((label, r) => {
    const base = r * (1 + IMAGE_BYTES);
    out[base] = label;
    for (let c = 0; c < CHANNELS; c++) {
      for (let p = 0; p < plane; p++) {
        out[base + 1 + c * plane + p] = fixturePixel(firstRecord + r, Math.floor(p / IMAGE_SIZE), p % IMAGE_SIZE, c);
      }
    }
  });
  return out;
}

export interface FixtureFile {
  name: string;
  data: Buffer;
}

/** The six binary-release files with `perFile` records each; labels cycle through 0–9. */
export function binaryReleaseFiles(
  perFile = 4,
  folder = "cifar-10-batches-bin",
): { files: FixtureFile[]; expected: Record<"train" | "test", Split> } {
  const files: FixtureFile[] = [];
  const expected = {} as Record<"train" | "test", Split>;
  for (const split of ["train", "test"] as const) {
    const labels: number[] = [];
    BINARY_FILES[split].forEach((name, f) => {
      const fileLabels = Array.from({ length: perFile }, (_, r) => (f * perFile + r) % 10);
      files.push({ name: `${folder}/${name}`, data: binaryRecords(fileLabels, labels.length) });
      labels.push(...fileLabels);
    });
    const images = new Uint8Array(labels.length * IMAGE_BYTES);
    labels.forEach((_, r) => {
      for (let row = 0; row < IMAGE_SIZE; row++)
        for (let col = 0; col < IMAGE_SIZE; col++)
          for (let c = 0; c < CHANNELS; c++)
            images[r * IMAGE_BYTES + (row * IMAGE_SIZE + col) * CHANNELS + c] = fixturePixel(r, row, col, c);
    });
    expected[split] = { images, labels: Uint8Array.from(labels), count: labels.length };
  }
  files.push({ name: `${folder}/batches.meta.txt`, data: Buffer.from(CIFAR10_CLASSES.join("\n")) });
  return { files, expected };
}

/** A smooth RGB image (JPEG-friendly), different for each `seed`. */
export function smoothImage(seed: number, width = IMAGE_SIZE, height = IMAGE_SIZE): Uint8Array {
  const rgb = new Uint8Array(width * height * CHANNELS);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < CHANNELS; c++) {
        rgb[(y * width + x) * CHANNELS + c] = Math.round(128 + 100 * Math.sin((x + 2 * y) / 9 + seed * 0.7 + c * 2.1));
      }
  return rgb;
}

function rgba(rgb: Uint8Array): Buffer {
  const out = Buffer.alloc((rgb.length / CHANNELS) * 4, 255);
  for (let p = 0, q = 0; p < rgb.length; p += CHANNELS, q += 4) {
    out[q] = rgb[p]!;
    out[q + 1] = rgb[p + 1]!;
    out[q + 2] = rgb[p + 2]!;
  }
  return out;
}

export function encodeJpeg(rgb: Uint8Array, width = IMAGE_SIZE, height = IMAGE_SIZE): Buffer {
  return jpeg.encode({ data: rgba(rgb), width, height }, 95).data;
}

export function encodePng(rgb: Uint8Array, width = IMAGE_SIZE, height = IMAGE_SIZE): Buffer {
  const png = new PNG({ width, height });
  png.data = rgba(rgb);
  return PNG.sync.write(png);
}

export interface ImageFixture {
  name: string;
  label: number;
  rgb: Uint8Array;
}

/**
 * Image-folder files: `perClass` images per class and split (seeded by their position), JPEG
 * or PNG, under an optional wrapper folder.
 */
export function imageFolderFiles(options: { perClass: number; format: "jpg" | "png"; wrapper?: string }): {
  files: FixtureFile[];
  images: ImageFixture[];
} {
  const files: FixtureFile[] = [];
  const images: ImageFixture[] = [];
  const prefix = options.wrapper ? `${options.wrapper}/` : "";
  for (const split of ["train", "test"]) {
    CIFAR10_CLASSES.forEach((className, label) => {
      for (let i = 0; i < options.perClass; i++) {
        const rgb = smoothImage(images.length);
        const name = `${prefix}${split}/${className}/${String(i).padStart(4, "0")}.${options.format}`;
        images.push({ name, label, rgb });
        files.push({ name, data: options.format === "png" ? encodePng(rgb) : encodeJpeg(rgb) });
      }
    });
  }
  return { files, images };
}

export async function writeTree(root: string, files: readonly FixtureFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(root, file.name)), { recursive: true });
    await writeFile(join(root, file.name), file.data);
  }
}

/** A .tar (or .tar.gz when `gzip`) of `files`, entries in the given order. */
export async function tarball(files: readonly FixtureFile[], gzip = true): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: file.name }, file.data, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  const raw = Buffer.concat(chunks);
  return gzip ? gzipSync(raw) : raw;
}
