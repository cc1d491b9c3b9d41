/**
 * Reading CIFAR-10 from an exported slice set (`lrlab data export-slices`, served from
 * LRLAB_DATASET_URL): `index.json`, then only the slice files a range needs, each checked
 * against its sha256 before use. The bytes are the ones /api/cifar serves. Browser-safe.
 */
import { IMAGE_BYTES } from "../data/classes";
import { decodeSlice } from "../data/sliceFormat";
import { coveringSlices, SLICE_INDEX_FILE, SliceIndexSchema, type SliceFile, type SliceIndex } from "../data/sliceIndex";
import type { Split, SplitName } from "../data/split";
import { SliceFetchError } from "./sliceFetchError";

/** `file` resolved against the slice set's base URL (with or without a trailing slash). */
export function sliceSetUrl(base: string, file: string): string {
  return new URL(file, base.endsWith("/") ? base : `${base}/`).toString();
}

async function get(url: string, doFetch: typeof fetch, signal?: AbortSignal): Promise<Response> {
  const response = await doFetch(url, { signal });
  if (!response.ok) throw new SliceFetchError(`the dataset host answered HTTP ${response.status} for ${url}`, response.status);
  return response;
}

/** The slice set's index, validated. */
export async function fetchSliceIndex(base: string, options: { fetch?: typeof fetch; signal?: AbortSignal } = {}): Promise<SliceIndex> {
  const url = sliceSetUrl(base, SLICE_INDEX_FILE);
  const response = await get(url, options.fetch ?? fetch, options.signal);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new SliceFetchError(`${url} is not JSON`, 502);
  }
  const parsed = SliceIndexSchema.safeParse(json);
  if (!parsed.success) throw new SliceFetchError(`${url} is not an index written by \`lrlab data export-slices\``, 502);
  return parsed.data;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fetchSliceFile(base: string, entry: SliceFile, doFetch: typeof fetch, signal?: AbortSignal) {
  const url = sliceSetUrl(base, entry.file);
  const bytes = new Uint8Array(await (await get(url, doFetch, signal)).arrayBuffer());
  if ((await sha256Hex(bytes)) !== entry.sha256) throw new SliceFetchError(`${url} does not match its sha256 in the index`, 502);
  const slice = decodeSlice(bytes);
  if (slice.offset !== entry.offset || slice.count !== entry.count) {
    throw new SliceFetchError(
      `${url} holds examples from ${slice.offset} (${slice.count}), the index says ${entry.offset} (${entry.count})`,
      502,
    );
  }
  return slice;
}

/**
 * Examples [offset, offset + count) of `split`, cut at the split's end, fetching the covering
 * slice files one after another. `onProgress(examplesLoaded)` after each file.
 */
export async function readSliceSet(options: {
  base: string;
  index: SliceIndex;
  split: SplitName;
  offset: number;
  count: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (loaded: number) => void;
}): Promise<Split & { total: number }> {
  const { index, split, offset } = options;
  const total = index.splits[split].count;
  const n = Math.max(0, Math.min(options.count, total - offset));
  const labels = new Uint8Array(n);
  const images = new Uint8Array(n * IMAGE_BYTES);
  for (const entry of coveringSlices(index, split, offset, n)) {
    const slice = await fetchSliceFile(options.base, entry, options.fetch ?? fetch, options.signal);
    // The part of this slice inside the range, and where it lands in the output.
    const from = Math.max(offset, slice.offset);
    const to = Math.min(offset + n, slice.offset + slice.count);
    labels.set(slice.labels.subarray(from - slice.offset, to - slice.offset), from - offset);
    images.set(
      slice.images.subarray((from - slice.offset) * IMAGE_BYTES, (to - slice.offset) * IMAGE_BYTES),
      (from - offset) * IMAGE_BYTES,
    );
    options.onProgress?.(to - offset);
  }
  return { labels, images, count: n, total };
}
