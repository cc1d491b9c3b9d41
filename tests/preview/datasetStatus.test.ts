/** The preview page's dataset status with LRLAB_DATASET_URL: sizes from the slice set's index over HTTP, or a clear message. */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exportSlices, prepareCifar10 } from "../../training/data/node";
import { binaryReleaseFiles, makeTempDir, writeTree } from "../../training/data/testFixtures";

vi.mock("server-only", () => ({}));

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let server: Server;
let base: string;

beforeAll(async () => {
  tmp = await makeTempDir();
  await writeTree(tmp.dir, binaryReleaseFiles(6).files);
  const dataDir = join(tmp.dir, "data");
  await prepareCifar10({ source: join(tmp.dir, "cifar-10-batches-bin"), dataDir, env: {} });
  const out = join(tmp.dir, "slices");
  await exportSlices({ outDir: out, dataDir, sliceSize: 8 });
  // A static host on a free port, serving the export under /cifar/.
  server = createServer((req, res) => {
    const name = (req.url ?? "").replace(/^\/cifar\//, "");
    readFile(join(out, name)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cifar`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
  await tmp.cleanup();
});

async function statusWith(url: string) {
  vi.stubEnv("LRLAB_DATASET_URL", url);
  vi.resetModules();
  const { datasetStatus } = await import("../../app/preview/dataset");
  return datasetStatus();
}

describe("datasetStatus with LRLAB_DATASET_URL", () => {
  it("reports the slice set's sizes and passes its URL to the page", async () => {
    expect(await statusWith(`${base}/`)).toEqual({ prepared: true, train: 30, test: 6, url: `${base}/` });
  });

  it("says the images cannot be reached when the index is missing, without internals", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const status = await statusWith(`${base}/missing/`);
    expect(status.prepared).toBe(false);
    expect(status).toMatchObject({ message: expect.stringContaining("cannot be reached") as unknown });
    expect(JSON.stringify(status)).not.toContain("127.0.0.1");
  });
});
