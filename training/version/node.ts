/** The trainer version of the code this Node process runs (read from its own training/ sources). */
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isNumericSource, trainerVersion } from "./trainerVersion";

const TRAINING_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Every numeric source file under `root` (default this checkout's training/), path relative to it. */
export async function readNumericSources(root = TRAINING_DIR): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter(isNumericSource);
  return Promise.all(files.map(async (p) => ({ path: p, text: await readFile(path.join(root, p), "utf8") })));
}

export function installedTfjsVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("@tensorflow/tfjs-core/package.json") as { version: string }).version;
}

export async function nodeTrainerVersion(backend: string, root = TRAINING_DIR): Promise<string> {
  return trainerVersion({ backend, tfjsVersion: installedTfjsVersion(), files: await readNumericSources(root) });
}
