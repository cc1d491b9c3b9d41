/** BufferedEndResponse sends exactly what `end` was given, in each of `end`'s forms. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BufferedEndResponse } from "./bufferedEnd";

// 70,000 characters, most outside Latin-1 (3 UTF-8 bytes each): the kind of body that is encoded first.
const LARGE = "→ 0.1 · ".repeat(8750);
const calledBack: string[] = [];

const routes: Record<string, (res: http.ServerResponse) => void> = {
  "/large": (res) => res.end(LARGE),
  "/large-length": (res) => res.setHeader("Content-Length", Buffer.byteLength(LARGE)).end(LARGE),
  "/large-latin1": (res) => res.end("é".repeat(20_000), "latin1"),
  "/large-callback": (res) => res.end(LARGE, () => calledBack.push("large")),
  "/small": (res) => res.end("small → body"),
  "/buffer": (res) => res.end(Buffer.from([0, 1, 2, 255])),
  "/none": (res) => res.end(() => calledBack.push("none")),
};

let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer({ ServerResponse: BufferedEndResponse }, (req, res) => routes[req.url!]!(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function bytes(path: string): Promise<{ body: Buffer; length: string | null }> {
  const response = await fetch(base + path);
  return { body: Buffer.from(await response.arrayBuffer()), length: response.headers.get("content-length") };
}

describe("BufferedEndResponse", () => {
  it("sends a large text body as its UTF-8 bytes, with or without a Content-Length set first", async () => {
    const expected = Buffer.from(LARGE, "utf8");
    expect(expected.length).toBe(8750 * 11);
    expect((await bytes("/large")).body.equals(expected)).toBe(true);
    const withLength = await bytes("/large-length");
    expect(withLength.body.equals(expected)).toBe(true);
    expect(withLength.length).toBe("96250");
  });

  it("honours the encoding end was given", async () => {
    const { body } = await bytes("/large-latin1");
    expect(body.length).toBe(20_000);
    expect(body.every((b) => b === 0xe9)).toBe(true);
  });

  it("passes small strings, Buffers and callbacks through", async () => {
    expect((await bytes("/small")).body.toString("utf8")).toBe("small → body");
    expect([...(await bytes("/buffer")).body]).toEqual([0, 1, 2, 255]);
    expect((await bytes("/none")).body.length).toBe(0);
    await bytes("/large-callback");
    expect(calledBack.sort()).toEqual(["large", "none"]);
  });
});
