/** The slice endpoint (app/api/cifar/route.ts) called as Next calls it: a Request in, a Response out. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../app/api/cifar/route";
import { decodeSlice, IMAGE_BYTES, loadCifar10, MAX_SLICE_EXAMPLES, SLICE_HEADER_BYTES } from "../../training/data/node";
import { fetchSplit } from "../../training/preview/slices";
import { testDataDir } from "../../training/testing/dataDir";

const saved = process.env.LRLAB_DATA_DIR;
beforeAll(() => {
  process.env.LRLAB_DATA_DIR = testDataDir();
});
afterEach(() => {
  process.env.LRLAB_DATA_DIR = testDataDir();
});
afterAll(() => {
  if (saved === undefined) delete process.env.LRLAB_DATA_DIR;
  else process.env.LRLAB_DATA_DIR = saved;
});

const get = (query: string, headers: Record<string, string> = {}) => GET(new Request(`http://localhost/api/cifar?${query}`, { headers }));

async function expect400(query: string, mentions: string): Promise<void> {
  const response = await get(query);
  expect(response.status, query).toBe(400);
  const body = (await response.json()) as { error: string };
  expect(body.error, query).toContain(mentions);
}

describe("GET /api/cifar", () => {
  it("serves a slice: header, labels and pixels equal to the cache's", async () => {
    const response = await get("split=train&offset=10&count=20");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("cache-control")).toContain("max-age");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.length).toBe(SLICE_HEADER_BYTES + 20 * (1 + IMAGE_BYTES));
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    const slice = decodeSlice(bytes);
    const whole = await loadCifar10({ dataDir: testDataDir(), trainLimit: 30, testLimit: 0 });
    expect(slice).toMatchObject({ offset: 10, count: 20, total: 50_000 });
    expect([...slice.labels]).toEqual([...whole.train.labels.subarray(10, 30)]);
    expect(Buffer.compare(slice.images, whole.train.images.subarray(10 * IMAGE_BYTES, 30 * IMAGE_BYTES))).toBe(0);
  });

  it("cuts a count running past the end, and answers a matching ETag with 304", async () => {
    const response = await get("split=test&offset=9990&count=100");
    expect(response.status).toBe(200);
    expect(decodeSlice(await response.arrayBuffer())).toMatchObject({ offset: 9990, count: 10, total: 10_000 });
    const etag = response.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{16}-test-9990-100"$/);
    const again = await get("split=test&offset=9990&count=100", { "if-none-match": etag });
    expect(again.status).toBe(304);
  });

  it("rejects negative, huge, non-numeric and missing parameters with a 400 and a message", async () => {
    await expect400("split=train&offset=-1&count=10", "offset: must be a whole number");
    await expect400("split=train&offset=0&count=-5", "count: must be a whole number");
    await expect400("split=train&offset=0&count=0", "count: must be from 1");
    await expect400(`split=train&offset=0&count=${MAX_SLICE_EXAMPLES + 1}`, `count: must be from 1 to ${MAX_SLICE_EXAMPLES}`);
    await expect400("split=train&offset=0&count=99999999999999999999", "count: must be a whole number");
    await expect400("split=train&offset=1e3&count=10", "offset: must be a whole number");
    await expect400("split=train&offset=abc&count=10", "offset: must be a whole number");
    await expect400("split=train&offset=0x10&count=10", "offset: must be a whole number");
    await expect400("split=train&offset=1.5&count=10", "offset: must be a whole number");
    await expect400("split=train&offset=%2010&count=10", "offset: must be a whole number");
    await expect400("split=train&offset=&count=10", "offset: must be a whole number");
    await expect400("split=train&count=10", "offset: is required");
    await expect400("split=train&offset=0&offset=5&count=10", "offset: must be given once");
    await expect400("split=validation&offset=0&count=10", "split: must be train or test");
    await expect400("split=../../etc/passwd&offset=0&count=10", "split: must be train or test");
    await expect400("split=train&offset=0&count=10&dataDir=/etc", "dataDir: is not a parameter");
  });

  it("never reads outside the split: an offset at or past its end is a 400", async () => {
    await expect400("split=test&offset=10000&count=1", "offset 10000 is past the end of the test split");
    await expect400("split=train&offset=999999999&count=10000", "past the end of the train split");
    const last = await get("split=test&offset=9999&count=10000");
    expect(decodeSlice(await last.arrayBuffer())).toMatchObject({ offset: 9999, count: 1 });
  });

  it("says plainly when the dataset is not prepared", async () => {
    process.env.LRLAB_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-empty-"));
    const response = await get("split=train&offset=0&count=10");
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toContain("CIFAR-10 dataset is not prepared on this server");
  });

  it("is what the browser's fetchSplit reads, in chunks, into one split", async () => {
    const calls: string[] = [];
    const split = await fetchSplit({
      split: "test",
      count: 25,
      fetch: (async (url: string) => {
        calls.push(url);
        return GET(new Request(`http://localhost${url}`));
      }) as typeof fetch,
    });
    expect(calls).toEqual(["/api/cifar?split=test&offset=0&count=25"]);
    const whole = await loadCifar10({ dataDir: testDataDir(), trainLimit: 0, testLimit: 25 });
    expect([...split.labels]).toEqual([...whole.test.labels]);
    expect(split.count).toBe(25);
    const failing = fetchSplit({
      split: "test",
      count: 5,
      fetch: async () => get("split=test&offset=-1&count=5"),
    });
    await expect(failing).rejects.toThrow("offset: must be a whole number");
  });
});
