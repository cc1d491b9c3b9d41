/**
 * The index of an exported slice set (`lrlab data export-slices DIR`): for each split its size
 * and the fixed-size slice files covering it, each named by its content hash, so a CDN may keep
 * them forever. The index keeps a fixed name (`index.json`) and is the one file to revalidate.
 * Browser-safe.
 */
import { z } from "zod";
import { SplitNameSchema, type SplitName } from "./split";

export const SLICE_INDEX_FILE = "index.json";
export const SLICE_INDEX_FORMAT = "lrlab-cifar10-slices";

const SliceFileSchema = z.object({
  offset: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  /** Relative to the index; `<split>-<offset>-<first 16 hex digits of sha256>.bin`. */
  file: z.string().regex(/^[a-z]+-[0-9]+-[0-9a-f]{16}\.bin$/),
  /** sha256 of the whole file (a slice in the wire format of sliceFormat.ts). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SliceFile = z.infer<typeof SliceFileSchema>;

const SplitSlicesSchema = z.object({ count: z.number().int().nonnegative(), slices: z.array(SliceFileSchema) });

export const SliceIndexSchema = z.object({
  format: z.literal(SLICE_INDEX_FORMAT),
  version: z.literal(1),
  sliceSize: z.number().int().positive(),
  /** sha256 of each split file of the cache the slices were cut from (its manifest's). */
  source: z.record(SplitNameSchema, z.string()),
  splits: z.record(SplitNameSchema, SplitSlicesSchema),
});
export type SliceIndex = z.infer<typeof SliceIndexSchema>;

/** `<split>-<offset>-<hash prefix>.bin`: a new content gets a new name, so the files are immutable. */
export function sliceFileName(split: SplitName, offset: number, sha256: string): string {
  return `${split}-${offset}-${sha256.slice(0, 16)}.bin`;
}

/** The slices of `split` holding examples [offset, offset + count), in order. */
export function coveringSlices(index: SliceIndex, split: SplitName, offset: number, count: number): SliceFile[] {
  const end = offset + count;
  return index.splits[split].slices.filter((s) => s.offset < end && s.offset + s.count > offset);
}
