/**
 * A database restart under a live pool: no crash from a connection lost while checked out, and
 * operations retried with backoff succeed once the server is back (on the port it had).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDbClient } from "./client";
import { startEmbeddedDatabase } from "./embedded/server";
import { isConnectionError, retryOnDisconnect, withReconnectRetry } from "./reconnect";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-reconnect-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("riding out a database restart", () => {
  it("survives a checked-out connection's loss and reconnects with backoff", { timeout: 120_000 }, async () => {
    const dataDir = path.join(tmp, "db");
    const first = await startEmbeddedDatabase({ dataDir });
    const client = createDbClient(first.url, { max: 2 });
    try {
      await client.pool.query("create table t (n int)");
      // Checked out, no query running: pg emits 'error' on the client when the server goes.
      const held = await client.pool.connect();
      await first.stop();
      await new Promise((resolve) => setTimeout(resolve, 200)); // an unhandled 'error' would fail the test here
      await expect(held.query("select 1")).rejects.toSatisfy(isConnectionError);
      held.release(true);
      await expect(client.pool.query("select 1")).rejects.toSatisfy(isConnectionError);

      const retries: number[] = [];
      const queue = withReconnectRetry(
        { insert: async (n: number) => (await client.pool.query("insert into t values ($1) returning n", [n])).rows },
        { maxMs: 60_000, initialDelayMs: 100, maxDelayMs: 800, onRetry: (_error, ms) => retries.push(ms) },
      );
      const pending = queue.insert(7);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = await startEmbeddedDatabase({ dataDir });
      try {
        expect(second.url).toBe(first.url); // same port, same password
        expect(await pending).toEqual([{ n: 7 }]);
        // Waited at least 500 ms before the restart: 100 + 200 + 400 ms at least, then doubling up to 800.
        expect(retries.length).toBeGreaterThanOrEqual(3);
        expect(retries).toEqual(retries.map((_, i) => Math.min(100 * 2 ** i, 800)));
      } finally {
        await client.close();
        await second.stop();
      }
    } finally {
      await client.close();
    }
  });

  it("does not retry errors of the statement itself", async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(Object.assign(new Error('relation "x" does not exist'), { code: "42P01" }));
    };
    await expect(retryOnDisconnect(failing, { maxMs: 10_000 })).rejects.toThrow(/does not exist/);
    expect(calls).toBe(1);
  });
});
