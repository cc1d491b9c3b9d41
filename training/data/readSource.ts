/**
 * Reads a whole CIFAR-10 source (binary release or image folders, as a directory or archive)
 * into train/test Splits in a canonical order (binary: file and record order; images: label,
 * then file name), whatever order the source lists its files in. Node-only.
 */
import { ValidationError } from "../errors";
import { BINARY_FILES, decodeBinaryRecordsInto, recordCount } from "./binaryFormat";
import { CIFAR10_CLASSES, classLabel, IMAGE_BYTES } from "./classes";
import { decodeImages } from "./decodePool";
import { classifyPath, type LayoutEntry } from "./layout";
import type { ProgressFn } from "./progress";
import { readSourceFiles, type SourceLocation } from "./sourceFiles";
import { firstPerClass, pickExamples } from "./splitOps";
import { SPLIT_NAMES, type Split, type SplitName } from "./split";

export type SourceFormat = "binary" | "images";

export interface SourceData {
  format: SourceFormat;
  train: Split;
  test: Split;
}

export interface ReadSourceOptions {
  /** Keep only the first N examples of each class per split (quick checks on big sources). */
  maxPerClass?: number;
  onProgress?: ProgressFn;
  /** Threads decoding images; default: available cores (at most 8); 1 decodes in this thread. */
  workers?: number;
}

interface EncodedImage {
  label: number;
  file: string;
  relPath: string;
  data: Buffer;
}

const LAYOUT_HELP =
  "expected the binary release (data_batch_1.bin … data_batch_5.bin and test_batch.bin) or image folders " +
  "train/<class>/*.jpg|png and test/<class>/*.jpg|png, at the top or inside one wrapper folder";

function sourceError(message: string): ValidationError {
  return new ValidationError([{ path: "source", message }]);
}

export async function readCifar10Source(location: SourceLocation, options: ReadSourceOptions = {}): Promise<SourceData> {
  const { maxPerClass, onProgress } = options;
  if (maxPerClass !== undefined && (!Number.isInteger(maxPerClass) || maxPerClass <= 0)) {
    throw new ValidationError([{ path: "maxPerClass", message: `must be a positive integer, got ${maxPerClass}` }]);
  }
  let root: string | undefined;
  let format: SourceFormat | undefined;

  // Checks each data file as the listing reaches it, before its bytes are read.
  const accept = (relPath: string): boolean => {
    const entry = classifyPath(relPath);
    if (!entry) return false;
    checkClassFolder(entry, location.path);
    const entryFormat: SourceFormat = entry.kind === "binary" ? "binary" : "images";
    if (format !== undefined && format !== entryFormat) {
      throw sourceError(`${location.path} mixes the binary release and image folders (at ${relPath}); point at one of them`);
    }
    if (root !== undefined && root !== entry.root) {
      throw sourceError(
        `${location.path} holds CIFAR-10 data in more than one folder ("${root || "."}" and "${entry.root || "."}"); point at one of them`,
      );
    }
    format = entryFormat;
    root = entry.root;
    return true;
  };

  const binaryFiles = new Map<string, Buffer>();
  const images: Record<SplitName, EncodedImage[]> = { train: [], test: [] };
  const onBytes = onProgress && ((done: number, total: number) => onProgress(done, total, "read"));
  for await (const file of readSourceFiles(location, accept, onBytes)) {
    const entry = classifyPath(file.relPath)!;
    if (entry.kind === "binary") binaryFiles.set(entry.file, file.data);
    else images[entry.split].push({ label: classLabel(entry.classFolder)!, file: entry.file, relPath: file.relPath, data: file.data });
  }

  if (format === "binary") return { format, ...decodeBinarySource(binaryFiles, location.path, maxPerClass, onProgress) };
  if (format === "images") return { format, ...(await decodeImageSource(images, location.path, options)) };
  throw sourceError(`no CIFAR-10 data found in ${location.path}: ${LAYOUT_HELP}`);
}

function checkClassFolder(entry: LayoutEntry, sourcePath: string): void {
  if (entry.kind !== "image" || classLabel(entry.classFolder) !== undefined) return;
  const folder = [entry.root, entry.split, entry.classFolder].filter(Boolean).join("/");
  throw sourceError(`unknown class folder "${folder}" in ${sourcePath}; class folders must be named exactly ${CIFAR10_CLASSES.join(", ")}`);
}

function decodeBinarySource(
  files: Map<string, Buffer>,
  sourcePath: string,
  maxPerClass: number | undefined,
  onProgress: ProgressFn | undefined,
): Record<SplitName, Split> {
  const all = [...BINARY_FILES.train, ...BINARY_FILES.test];
  const missing = all.filter((name) => !files.has(name));
  if (missing.length > 0) {
    throw sourceError(`${sourcePath} lacks ${missing.join(", ")} of the CIFAR-10 binary release (it needs all of ${all.join(", ")})`);
  }
  const fail = (err: unknown) => sourceError(`${(err as Error).message} (in ${sourcePath})`);
  const counts = new Map<string, number>();
  for (const name of all) {
    try {
      counts.set(name, recordCount(files.get(name)!, name));
    } catch (err) {
      throw fail(err);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  let done = 0;
  const decodeSplit = (split: SplitName): Split => {
    const count = BINARY_FILES[split].reduce((sum, name) => sum + counts.get(name)!, 0);
    const whole: Split = { images: new Uint8Array(count * IMAGE_BYTES), labels: new Uint8Array(count), count };
    let at = 0;
    for (const name of BINARY_FILES[split]) {
      try {
        decodeBinaryRecordsInto(files.get(name)!, name, whole, at);
      } catch (err) {
        throw fail(err);
      }
      files.delete(name); // the raw file is no longer needed; let it go before the next
      at += counts.get(name)!;
      done += counts.get(name)!;
      onProgress?.(done, total, "decode");
    }
    return maxPerClass === undefined ? whole : pickExamples(whole, firstPerClass(whole.labels, maxPerClass));
  };
  return { train: decodeSplit("train"), test: decodeSplit("test") };
}

async function decodeImageSource(
  images: Record<SplitName, EncodedImage[]>,
  sourcePath: string,
  options: ReadSourceOptions,
): Promise<Record<SplitName, Split>> {
  const { maxPerClass, onProgress } = options;
  const chosen = {} as Record<SplitName, EncodedImage[]>;
  for (const split of SPLIT_NAMES) {
    if (images[split].length === 0) throw sourceError(`no ${split} images found in ${sourcePath}: ${LAYOUT_HELP}`);
    const sorted = images[split].sort((a, b) => a.label - b.label || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    chosen[split] =
      maxPerClass === undefined
        ? sorted
        : firstPerClass(
            sorted.map((image) => image.label),
            maxPerClass,
          ).map((i) => sorted[i]!);
  }
  // Both splits in one pass, so the worker pool starts once.
  const all = [...chosen.train, ...chosen.test];
  const trainCount = chosen.train.length;
  const out: Record<SplitName, Split> = {
    train: { images: new Uint8Array(trainCount * IMAGE_BYTES), labels: Uint8Array.from(chosen.train, (i) => i.label), count: trainCount },
    test: {
      images: new Uint8Array(chosen.test.length * IMAGE_BYTES),
      labels: Uint8Array.from(chosen.test, (i) => i.label),
      count: chosen.test.length,
    },
  };
  let done = 0;
  try {
    await decodeImages(
      all.map((image) => ({ name: image.relPath, data: image.data })),
      (index, pixels) => {
        if (index < trainCount) out.train.images.set(pixels, index * IMAGE_BYTES);
        else out.test.images.set(pixels, (index - trainCount) * IMAGE_BYTES);
        if (++done % 1000 === 0 || done === all.length) onProgress?.(done, all.length, "decode");
      },
      options.workers,
    );
  } catch (err) {
    throw sourceError(`${(err as Error).message} (in ${sourcePath})`);
  }
  return out;
}
