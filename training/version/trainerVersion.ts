/**
 * The trainer version: which numerics produced a result. Two runs with equal configs and seeds are
 * comparable (and one may stand in for the other) only when their versions are equal.
 *
 * Definition: `<backend family>-<first 12 hex digits of sha256>` over the tfjs-core version and,
 * sorted by path, every file of the numeric code in training/ (the directories and files named in
 * NUMERIC_SOURCES, tests and test helpers excepted). A change to a kernel, an optimizer, the model,
 * the data pipeline, a schedule or the trainer changes it; the CLI, the worker loop, the preview UI
 * glue and tests do not. The backend family is the tfjs backend name (`tensorflow`, `webgpu`,
 * `wasm`, `cpu`, `webgl`): the same code gives different floating-point results on each.
 */

/** Paths relative to training/: a trailing slash names a directory (recursively). */
export const NUMERIC_SOURCES = [
  "backend/",
  "data/",
  "expression/",
  "model/",
  "optimizers/",
  "schedules/",
  "trainer/",
  "config.ts",
  "rng.ts",
] as const;

/** Whether a file (path relative to training/, `/`-separated) is part of the numeric code. */
export function isNumericSource(path: string): boolean {
  if (/\.(test|bench)\.ts$/.test(path) || /(^|\/)(testing|testUtil|testFixtures|expectClose)(\/|\.ts$)/.test(path)) return false;
  return NUMERIC_SOURCES.some((source) => (source.endsWith("/") ? path.startsWith(source) : path === source));
}

export interface VersionInputs {
  /** The tfjs backend name the run trains on. */
  backend: string;
  /** `@tensorflow/tfjs-core`'s version: its kernels are part of the numerics. */
  tfjsVersion: string;
  /** The numeric source files (others are ignored), path relative to training/ and contents. */
  files: readonly { path: string; text: string }[];
}

export async function trainerVersion({ backend, tfjsVersion, files }: VersionInputs): Promise<string> {
  const numeric = files.filter((f) => isNumericSource(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Length-prefixed fields, so no two different file sets serialise alike.
  const parts = [`tfjs-core ${tfjsVersion}`, ...numeric.flatMap((f) => [f.path, f.text])];
  const text = parts.map((p) => `${p.length}:${p}`).join("\n");
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${backend}-${hex.slice(0, 12)}`;
}
