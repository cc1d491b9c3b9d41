/**
 * Reads the files of a source, a directory tree or a .tar/.tar.gz archive (streamed, never
 * extracted to disk), yielding only the files `wanted` accepts. Node-only.
 */
import { createReadStream } from "node:fs";
import { open, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import * as tar from "tar-stream";
import { ValidationError } from "../errors";
import { mayHoldData } from "./layout";

export interface SourceLocation {
  /** Absolute path. */
  path: string;
  container: "directory" | "archive";
}

export interface SourceFile {
  /** Path inside the source, "/"-separated. */
  relPath: string;
  data: Buffer;
}

/** Reports bytes read of the source so far, and the total to read. */
export type BytesProgress = (done: number, total: number) => void;

/** Total bytes a read of the source goes through: the archive size, or the wanted files' sizes. */
export async function sourceBytes(location: SourceLocation, wanted: (relPath: string) => boolean): Promise<number> {
  if (location.container === "archive") return (await stat(location.path)).size;
  const files = await walkDirectory(location.path, wanted);
  return files.reduce((sum, file) => sum + file.size, 0);
}

export function readSourceFiles(
  location: SourceLocation,
  wanted: (relPath: string) => boolean,
  onBytes?: BytesProgress,
): AsyncGenerator<SourceFile> {
  return location.container === "archive" ? readArchive(location.path, wanted, onBytes) : readDirectory(location.path, wanted, onBytes);
}

interface DirectoryFile {
  relPath: string;
  size: number;
}

/** Files under `root` that `wanted` accepts, in sorted path order, descending only where data may be. */
async function walkDirectory(root: string, wanted: (relPath: string) => boolean): Promise<DirectoryFile[]> {
  const found: DirectoryFile[] = [];
  const visit = async (relDir: string): Promise<void> => {
    const entries = await readdir(join(root, relDir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name;
      const info = entry.isSymbolicLink() ? await stat(join(root, relPath)) : entry;
      if (info.isDirectory()) {
        if (mayHoldData(relPath)) await visit(relPath);
      } else if (info.isFile() && wanted(relPath)) {
        found.push({ relPath, size: (await stat(join(root, relPath))).size });
      }
    }
  };
  await visit("");
  return found;
}

const READ_CONCURRENCY = 16;

async function* readDirectory(root: string, wanted: (relPath: string) => boolean, onBytes?: BytesProgress): AsyncGenerator<SourceFile> {
  const files = await walkDirectory(root, wanted);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let done = 0;
  // Small groups of parallel reads: tens of thousands of tiny files are latency-bound.
  for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
    const group = files.slice(i, i + READ_CONCURRENCY);
    const datas = await Promise.all(group.map((file) => readFile(join(root, file.relPath))));
    for (let k = 0; k < group.length; k++) {
      done += group[k]!.size;
      yield { relPath: group[k]!.relPath, data: datas[k]! };
    }
    onBytes?.(done, total);
  }
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function* readArchive(path: string, wanted: (relPath: string) => boolean, onBytes?: BytesProgress): AsyncGenerator<SourceFile> {
  const total = (await stat(path)).size;
  const gzip = await isGzip(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let done = 0;
  file.on("data", (chunk) => {
    done += chunk.length;
    onBytes?.(done, total);
  });
  const extract = tar.extract();
  const stages = gzip ? [file, createGunzip(), extract] : [file, extract];
  // pipeline tears every stage down if any fails, or when we stop iterating early.
  let streamError: Error | undefined;
  pipeline(stages, (err) => {
    if (err) streamError = err;
  });
  try {
    for await (const entry of extract) {
      const relPath = entry.header.name;
      if (entry.header.type !== "file" || !wanted(relPath)) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      yield { relPath, data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) };
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const reason = streamError ?? err;
    throw new ValidationError([
      {
        path: "source",
        message: `could not read the archive ${path}: ${reason instanceof Error ? reason.message : String(reason)} (is it a complete .tar or .tar.gz file?)`,
      },
    ]);
  } finally {
    file.destroy();
  }
}
