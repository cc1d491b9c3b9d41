/**
 * Recognises CIFAR-10 files by their path inside a source, allowing one wrapper folder
 * (`cifar-10-batches-bin/…`, `CIFAR-10-images/train/…`). Pure.
 */
import { BINARY_FILES } from "./binaryFormat";
import { SplitNameSchema, type SplitName } from "./split";

export type LayoutEntry =
  { kind: "binary"; root: string; file: string } | { kind: "image"; root: string; split: SplitName; classFolder: string; file: string };

const BINARY_NAMES = new Set([...BINARY_FILES.train, ...BINARY_FILES.test]);
const IMAGE_EXTENSION = /\.(jpe?g|png)$/i;

/** Path parts of a relative path, without empty and "." parts. */
export function pathParts(relPath: string): string[] {
  return relPath.split(/[\\/]+/).filter((part) => part !== "" && part !== ".");
}

/** Hidden files and macOS resource forks, which archives often carry and we never read. */
export function isJunkPath(parts: readonly string[]): boolean {
  return parts.some((part) => part.startsWith(".") || part === "__MACOSX");
}

/** What a file at `relPath` is, or null when it is not CIFAR-10 data. */
export function classifyPath(relPath: string): LayoutEntry | null {
  const parts = pathParts(relPath);
  if (parts.length === 0 || isJunkPath(parts)) return null;
  const file = parts[parts.length - 1]!;
  if (BINARY_NAMES.has(file) && parts.length <= 2) {
    return { kind: "binary", root: parts.slice(0, -1).join("/"), file };
  }
  // [wrapper/]split/class/image
  if (!IMAGE_EXTENSION.test(file) || parts.length < 3 || parts.length > 4) return null;
  const split = SplitNameSchema.safeParse(parts[parts.length - 3]);
  if (!split.success) return null;
  return {
    kind: "image",
    root: parts.slice(0, -3).join("/"),
    split: split.data,
    classFolder: parts[parts.length - 2]!,
    file,
  };
}

/** Whether a directory at `relPath` could lead to CIFAR-10 files (bounds directory walks). */
export function mayHoldData(relPath: string): boolean {
  const parts = pathParts(relPath);
  return parts.length <= 3 && !isJunkPath(parts);
}
