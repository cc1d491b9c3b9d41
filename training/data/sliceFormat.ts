/**
 * Wire format of a slice of the cache, sent by the server to the browser preview:
 * a 20-byte header (magic "C10S", then uint32 LE version, offset, count, total examples in the
 * split), `count` labels, then count × 3,072 HWC pixel bytes. Browser-safe.
 */
import { IMAGE_BYTES } from "./classes";
import type { Split } from "./split";

export const SLICE_MAGIC = "C10S";
export const SLICE_VERSION = 1;
export const SLICE_HEADER_BYTES = 20;

/** A decoded slice: examples [offset, offset + count) of a split holding `total`. */
export interface Slice extends Split {
  offset: number;
  total: number;
}

/** Packs labels and pixels (already cut to the slice) into the wire format. */
export function encodeSlice(slice: Slice): Uint8Array {
  const out = new Uint8Array(SLICE_HEADER_BYTES + slice.count * (1 + IMAGE_BYTES));
  out.set(new TextEncoder().encode(SLICE_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, SLICE_VERSION, true);
  view.setUint32(8, slice.offset, true);
  view.setUint32(12, slice.count, true);
  view.setUint32(16, slice.total, true);
  out.set(slice.labels.subarray(0, slice.count), SLICE_HEADER_BYTES);
  out.set(slice.images.subarray(0, slice.count * IMAGE_BYTES), SLICE_HEADER_BYTES + slice.count);
  return out;
}

/** Reads the wire format without copying: the arrays are views into `data`. */
export function decodeSlice(data: Uint8Array | ArrayBuffer): Slice {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < SLICE_HEADER_BYTES) {
    throw new Error(`CIFAR-10 slice is ${bytes.length} bytes, shorter than its ${SLICE_HEADER_BYTES}-byte header`);
  }
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== SLICE_MAGIC) {
    throw new Error('not a CIFAR-10 slice: the data does not start with "C10S"');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, SLICE_HEADER_BYTES);
  const version = view.getUint32(4, true);
  if (version !== SLICE_VERSION) throw new Error(`CIFAR-10 slice format version ${version}, this code reads ${SLICE_VERSION}`);
  const offset = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const total = view.getUint32(16, true);
  const expected = SLICE_HEADER_BYTES + count * (1 + IMAGE_BYTES);
  if (bytes.length !== expected) {
    throw new Error(`CIFAR-10 slice of ${count} examples should be ${expected} bytes but is ${bytes.length} (truncated download?)`);
  }
  const labelsStart = SLICE_HEADER_BYTES;
  const imagesStart = labelsStart + count;
  return {
    offset,
    count,
    total,
    labels: bytes.subarray(labelsStart, imagesStart),
    images: bytes.subarray(imagesStart, expected),
  };
}
