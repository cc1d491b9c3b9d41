import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCifar10 } from "./cacheRead";
import { downloadOfficialArchive } from "./fetchOfficial";
import { prepareCifar10 } from "./prepare";
import { binaryReleaseFiles, makeTempDir, tarball } from "./testFixtures";

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let server: Server;
let baseUrl: string;
let archive: Buffer;
let md5: string;
const requests: string[] = [];

beforeAll(async () => {
  tmp = await makeTempDir();
  archive = await tarball(binaryReleaseFiles(3).files);
  md5 = createHash("md5").update(archive).digest("hex");
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url !== "/cifar-10-binary.tar.gz") {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": archive.length, "content-type": "application/gzip" });
    // Several writes, so progress arrives in steps.
    const step = Math.ceil(archive.length / 4);
    for (let i = 0; i < archive.length; i += step) res.write(archive.subarray(i, i + step));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await tmp.cleanup();
});

describe("downloadOfficialArchive", () => {
  it("streams the archive into the data dir with progress, checks md5, and keeps a verified copy", async () => {
    const dataDir = join(tmp.dir, "ok");
    const progress: [number, number][] = [];
    const path = await downloadOfficialArchive({
      dataDir,
      url: `${baseUrl}/cifar-10-binary.tar.gz`,
      md5,
      onProgress: (done, total, phase) => {
        expect(phase).toBe("download");
        progress.push([done, total]);
      },
    });
    expect(path).toBe(join(dataDir, "cifar-10-binary.tar.gz"));
    expect((await readFile(path)).equals(archive)).toBe(true);
    expect(await readdir(dataDir)).toEqual(["cifar-10-binary.tar.gz"]);
    expect(progress.at(-1)).toEqual([archive.length, archive.length]);
    expect(progress.every(([, total]) => total === archive.length)).toBe(true);

    const before = requests.length;
    expect(await downloadOfficialArchive({ dataDir, url: `${baseUrl}/cifar-10-binary.tar.gz`, md5 })).toBe(path);
    expect(requests.length).toBe(before); // already there and verified: no request
  });

  it("rejects a download whose md5 differs, leaving nothing behind", async () => {
    const dataDir = join(tmp.dir, "bad-md5");
    const wrong = "0".repeat(32);
    await expect(downloadOfficialArchive({ dataDir, url: `${baseUrl}/cifar-10-binary.tar.gz`, md5: wrong })).rejects.toThrow(
      `has md5 ${md5}, expected ${wrong}`,
    );
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("reports HTTP errors and unreachable servers", async () => {
    const dataDir = join(tmp.dir, "missing");
    await expect(downloadOfficialArchive({ dataDir, url: `${baseUrl}/nope`, md5 })).rejects.toThrow(
      `Could not download ${baseUrl}/nope: HTTP 404 Not Found`,
    );
    await expect(downloadOfficialArchive({ dataDir, url: "http://127.0.0.1:1/x.tar.gz", md5 })).rejects.toThrow(
      /Could not download .*--source/,
    );
  });
});

describe("prepare --download", () => {
  it("downloads, then prepares the cache from the archive", async () => {
    const dataDir = join(tmp.dir, "prepared");
    const phases = new Set<string>();
    const manifest = await prepareCifar10({
      dataDir,
      download: { url: `${baseUrl}/cifar-10-binary.tar.gz`, md5 },
      env: {},
      onProgress: (_done, _total, phase) => phases.add(phase),
    });
    expect([...phases]).toEqual(["download", "read", "decode", "write"]);
    expect(manifest.source).toMatchObject({ path: join(dataDir, "cifar-10-binary.tar.gz"), container: "archive", format: "binary" });
    expect(manifest.splits.train.count).toBe(15);
    expect((await loadCifar10({ dataDir })).test.count).toBe(3);
  });
});
