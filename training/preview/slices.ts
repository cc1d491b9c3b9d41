/**
 * Fetching a prefix of a split into one contiguous Split: from the server's slice endpoint
 * (`/api/cifar`) in chunks it accepts, or, when the server names a `datasetUrl`
 * (LRLAB_DATASET_URL), from the static slice set there (staticSlices.ts). Browser-safe.
 */
import { IMAGE_BYTES } from "../data/classes";
import { decodeSlice } from "../data/sliceFormat";
import type { Split, SplitName } from "../data/split";
import { SliceFetchError } from "./sliceFetchError";
import { fetchSliceIndex, readSliceSet } from "./staticSlices";

/** The most examples the endpoint serves per request (training/data's MAX_SLICE_EXAMPLES). */
export const SLICE_CHUNK = 10_000;

export function sliceUrl(base: string, split: SplitName, offset: number, count: number): string {
  return `${base}?split=${split}&offset=${offset}&count=${count}`;
}

/**
 * Examples [0, count) of `split`. A split smaller than `count` yields what it holds.
 * `onProgress(examplesLoaded)` after each chunk.
 */
export async function fetchSplit(options: {
  base?: string;
  /** An exported slice set's base URL; the endpoint at `base` is not used then. */
  datasetUrl?: string;
  split: SplitName;
  count: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  onProgress?: (loaded: number) => void;
}): Promise<Split & { total: number }> {
  const doFetch = options.fetch ?? fetch;
  if (options.datasetUrl) {
    const index = await fetchSliceIndex(options.datasetUrl, { fetch: doFetch, signal: options.signal });
    return readSliceSet({ ...options, base: options.datasetUrl, index, offset: 0, fetch: doFetch });
  }
  const base = options.base ?? "/api/cifar";
  const labels = new Uint8Array(options.count);
  const images = new Uint8Array(options.count * IMAGE_BYTES);
  let loaded = 0;
  let total = Infinity;
  while (loaded < Math.min(options.count, total)) {
    const want = Math.min(SLICE_CHUNK, options.count - loaded);
    const response = await doFetch(sliceUrl(base, options.split, loaded, want), { signal: options.signal });
    if (!response.ok) {
      let message = `the dataset server answered HTTP ${response.status}`;
      try {
        const body = (await response.json()) as { error?: string };
        if (body.error) message = body.error;
      } catch {
        /* not JSON: keep the status line */
      }
      throw new SliceFetchError(message, response.status);
    }
    const slice = decodeSlice(await response.arrayBuffer());
    if (slice.offset !== loaded) throw new Error(`asked for offset ${loaded}, got a slice at ${slice.offset}`);
    labels.set(slice.labels, loaded);
    images.set(slice.images, loaded * IMAGE_BYTES);
    loaded += slice.count;
    total = slice.total;
    options.onProgress?.(loaded);
    if (slice.count === 0) break;
  }
  return { labels: labels.subarray(0, loaded), images: images.subarray(0, loaded * IMAGE_BYTES), count: loaded, total };
}

/** The first `count` examples of a fetched split, without copying. */
export function prefix(split: Split, count: number): Split {
  const n = Math.min(count, split.count);
  return { labels: split.labels.subarray(0, n), images: split.images.subarray(0, n * IMAGE_BYTES), count: n };
}

/** RGBA pixels of example `i` (for an ImageData of 32×32). */
export function rgbaOf(split: Split, i: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(32 * 32 * 4);
  const src = split.images.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
  for (let p = 0; p < 32 * 32; p++) {
    out[p * 4] = src[p * 3]!;
    out[p * 4 + 1] = src[p * 3 + 1]!;
    out[p * 4 + 2] = src[p * 3 + 2]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}
