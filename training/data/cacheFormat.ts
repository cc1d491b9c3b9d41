/**
 * Layout of a cache split file (`train.bin`, `test.bin`): a 16-byte header (8-byte magic,
 * uint32 LE version, uint32 LE count), then `count` labels (uint8), then count × 3,072 pixel
 * bytes, HWC. Labels first so a prefix of examples is two contiguous reads. Pure; browser-safe.
 */
import { IMAGE_BYTES } from "./classes";

export const CACHE_MAGIC = "LRLABC10";
export const CACHE_VERSION = 1;
export const CACHE_HEADER_BYTES = 16;

export function encodeCacheHeader(count: number): Uint8Array {
  const header = new Uint8Array(CACHE_HEADER_BYTES);
  header.set(new TextEncoder().encode(CACHE_MAGIC), 0);
  const view = new DataView(header.buffer);
  view.setUint32(8, CACHE_VERSION, true);
  view.setUint32(12, count, true);
  return header;
}

/** The example count from a header, or a description of what is wrong with it. */
export function parseCacheHeader(header: Uint8Array): { count: number } | { problem: string } {
  if (header.length < CACHE_HEADER_BYTES) return { problem: `header is ${header.length} bytes, expected ${CACHE_HEADER_BYTES}` };
  const magic = new TextDecoder().decode(header.subarray(0, 8));
  if (magic !== CACHE_MAGIC) return { problem: "it does not start with the LR Lab CIFAR-10 cache magic" };
  const view = new DataView(header.buffer, header.byteOffset, CACHE_HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== CACHE_VERSION) return { problem: `cache format version ${version}, this code reads ${CACHE_VERSION}` };
  return { count: view.getUint32(12, true) };
}

/** Total bytes of a split file holding `count` examples. */
export function cacheFileBytes(count: number): number {
  return CACHE_HEADER_BYTES + count * (1 + IMAGE_BYTES);
}

/** Byte offsets of the labels and pixels of examples [offset, offset + n) in a file of `count`. */
export function cacheRanges(count: number, offset: number, n: number) {
  return {
    labels: { position: CACHE_HEADER_BYTES + offset, length: n },
    pixels: { position: CACHE_HEADER_BYTES + count + offset * IMAGE_BYTES, length: n * IMAGE_BYTES },
  };
}
