/**
 * The official CIFAR-10 binary release: each record is 1 label byte then 3,072 pixel bytes,
 * channel-planar (1,024 R, then G, then B, each row-major). Pure; browser-safe.
 */
import { CHANNELS, IMAGE_BYTES, IMAGE_SIZE, NUM_CLASSES } from "./classes";
import type { Split, SplitName } from "./split";

export const RECORD_BYTES = 1 + IMAGE_BYTES;

/** The files of `cifar-10-batches-bin/`, per split, in reading order. */
export const BINARY_FILES: Record<SplitName, readonly string[]> = {
  train: ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"],
  test: ["test_batch.bin"],
};

const PLANE = IMAGE_SIZE * IMAGE_SIZE;

/** Records in a file; throws when the size is not a whole number of records. */
export function recordCount(bytes: Uint8Array, fileName: string): number {
  if (bytes.length % RECORD_BYTES !== 0) {
    throw new Error(
      `${fileName} is ${bytes.length} bytes, not a whole number of ${RECORD_BYTES}-byte CIFAR-10 records; ` +
        "the file is truncated or not from cifar-10-binary.tar.gz",
    );
  }
  return bytes.length / RECORD_BYTES;
}

/** Decodes the records of one file into `target` from example `at` on (HWC); returns the count. */
export function decodeBinaryRecordsInto(bytes: Uint8Array, fileName: string, target: Split, at: number): number {
  const count = recordCount(bytes, fileName);
  const { images, labels } = target;
  for (let r = 0; r < count; r++) {
    const base = r * RECORD_BYTES;
    const label = bytes[base]!;
    if (label >= NUM_CLASSES) {
      throw new Error(`${fileName}: record ${r} has label ${label}; CIFAR-10 labels are 0–9`);
    }
    labels[at + r] = label;
    const out = (at + r) * IMAGE_BYTES;
    for (let c = 0; c < CHANNELS; c++) {
      const plane = base + 1 + c * PLANE;
      for (let p = 0; p < PLANE; p++) images[out + p * CHANNELS + c] = bytes[plane + p]!;
    }
  }
  return count;
}

/** Decodes whole records into a new Split. `fileName` only labels errors. */
export function decodeBinaryRecords(bytes: Uint8Array, fileName: string): Split {
  const count = recordCount(bytes, fileName);
  const split: Split = { images: new Uint8Array(count * IMAGE_BYTES), labels: new Uint8Array(count), count };
  decodeBinaryRecordsInto(bytes, fileName, split, 0);
  return split;
}
