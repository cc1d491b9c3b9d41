/**
 * Downloads the official binary release into the data directory, streamed to a `.part` file,
 * md5-checked, then renamed into place. URL and checksum are parameters so tests can use a
 * local server. Node-only.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { OFFICIAL_ARCHIVE_NAME } from "./sources";
import type { ProgressFn } from "./progress";

export const OFFICIAL_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
export const OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

export interface DownloadOptions {
  /** Absolute data directory; the archive lands at `<dataDir>/cifar-10-binary.tar.gz`. */
  dataDir: string;
  url?: string;
  md5?: string;
  /** Phase "download": bytes received and content-length (0 when the server sends none). */
  onProgress?: ProgressFn;
}

export async function md5File(path: string): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Path of the verified archive; an archive already there with the right md5 is kept. */
export async function downloadOfficialArchive(options: DownloadOptions): Promise<string> {
  const url = options.url ?? OFFICIAL_URL;
  const expectedMd5 = (options.md5 ?? OFFICIAL_MD5).toLowerCase();
  const target = join(options.dataDir, OFFICIAL_ARCHIVE_NAME);
  if ((await stat(target).catch(() => undefined))?.isFile() && (await md5File(target)) === expectedMd5) return target;

  const fail = (reason: string) =>
    new Error(
      `Could not download ${url}: ${reason}. Check the internet connection and try again, or download it by hand ` +
        `and pass it with --source.`,
    );
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw fail(err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));
  }
  if (!response.ok || !response.body) throw fail(`HTTP ${response.status} ${response.statusText}`);

  await mkdir(options.dataDir, { recursive: true });
  const part = `${target}.part`;
  const total = Number(response.headers.get("content-length")) || 0;
  const hash = createHash("md5");
  const handle = await open(part, "w");
  let done = 0;
  try {
    for await (const chunk of response.body) {
      hash.update(chunk);
      await handle.write(chunk);
      done += chunk.length;
      options.onProgress?.(done, total, "download");
    }
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(part, { force: true });
    throw fail(`the transfer broke off after ${done} bytes (${err instanceof Error ? err.message : String(err)})`);
  }
  const md5 = hash.digest("hex");
  if (md5 !== expectedMd5) {
    await rm(part, { force: true });
    throw fail(`the file received (${done} bytes) has md5 ${md5}, expected ${expectedMd5}; it is corrupt or not the CIFAR-10 archive`);
  }
  await rename(part, target);
  return target;
}
