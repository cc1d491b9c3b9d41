/** The cache manifest (`<dataDir>/cifar10/manifest.json`). Schema only; browser-safe. */
import { z } from "zod";
import { NUM_CLASSES } from "./classes";

export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_FORMAT_VERSION = 1;

const count = z.number().int().nonnegative();

export const SourceInfoSchema = z.object({
  /** Absolute path of the directory or archive the cache was built from. */
  path: z.string(),
  container: z.enum(["directory", "archive"]),
  format: z.enum(["binary", "images"]),
  /** Size of the source (archive size, or sum of the files read); part of its identity. */
  bytes: count,
  /** Set when only the first N images of each class were kept (tests, quick checks). */
  maxPerClass: z.number().int().positive().nullable(),
  description: z.string(),
});
export type SourceInfo = z.infer<typeof SourceInfoSchema>;

export const CachedSplitSchema = z.object({
  file: z.string(),
  count,
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  classCounts: z.array(count).length(NUM_CLASSES),
  /** Seed of the fixed class-balanced order of the examples in the file. */
  orderSeed: count,
});
export type CachedSplit = z.infer<typeof CachedSplitSchema>;

export const ManifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  dataset: z.literal("cifar10"),
  source: SourceInfoSchema,
  createdAt: z.iso.datetime(),
  splits: z.object({ train: CachedSplitSchema, test: CachedSplitSchema }),
});
export type Manifest = z.infer<typeof ManifestSchema>;
