import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./server";

let embedded: EmbeddedDatabase;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: embedded.url });
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({ dataDir: "memory://", maxConnections: 8 });
  const setup = await connect();
  await setup.query("create table blobs (id serial primary key, b bytea not null)");
  await setup.query("create table counter (n int not null)");
  await setup.query("insert into counter values (0)");
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await embedded.stop();
});

describe("embedded socket server", () => {
  it("applies the migrations before accepting connections", async () => {
    const client = await connect();
    const { rows } = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    );
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["checkpoints", "comparisons", "epoch_metrics", "runs"]));
  });

  // PGlite streams results as views of its wasm heap; a socket under backpressure must not
  // send a view the next chunk has overwritten (rows went missing and large reads hung).
  it("returns large results whole, byte for byte", { timeout: 60_000 }, async () => {
    // Its own connection, closed at the end: the tests below count connections against the limit.
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    const n = 300_000;
    const { rows } = await client.query<{ g: number; s: string }>(`select g, md5(g::text) as s from generate_series(1, ${n}) g`);
    expect(rows).toHaveLength(n);
    let sum = 0;
    for (const row of rows) sum += row.g;
    expect(sum).toBe((n * (n + 1)) / 2);
    const { rows: check } = await client.query<{ s: string }>(
      `select md5(string_agg(md5(g::text), '' order by g)) as s from generate_series(1, ${n}) g`,
    );
    expect(
      createHash("md5")
        .update(rows.map((r) => r.s).join(""))
        .digest("hex"),
    ).toBe(check[0]!.s);
    await client.end();
  });

  // pglite-socket 0.2 interleaves another client's Parse between the chunks of a large Bind.
  it("keeps a multi-chunk extended query together while other clients query", async () => {
    const [a, b] = [await connect(), await connect()];
    const big = Buffer.alloc(3_000_000, 7);
    let done = false;
    const inserts = (async () => {
      const lengths: number[] = [];
      for (let k = 0; k < 8; k++) {
        const r = await a.query<{ n: number }>("insert into blobs (b) values ($1) returning length(b) as n", [big]);
        lengths.push(r.rows[0]!.n);
      }
      done = true;
      return lengths;
    })();
    const smalls = (async () => {
      let k = 0;
      const wrong: unknown[] = [];
      while (!done) {
        k++;
        const r = await b.query<{ v: number }>("select -$1::int as v", [k]);
        if (r.rows[0]!.v !== -k) wrong.push(r.rows[0]);
      }
      return { k, wrong };
    })();
    const [lengths, small] = await Promise.all([inserts, smalls]);
    expect(lengths).toEqual(Array(8).fill(big.length));
    expect(small.wrong).toEqual([]);
    expect(small.k).toBeGreaterThan(1);
  });

  it("gives an open transaction the backend until it ends", async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query("begin");
    await a.query("update counter set n = n + 1");
    const seen = b.query<{ n: number }>("select n from counter");
    let bDone = false;
    void seen.then(() => (bDone = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(bDone).toBe(false); // waits: one shared session, so it would otherwise see uncommitted rows
    await a.query("update counter set n = n + 1");
    await a.query("commit");
    expect((await seen).rows[0]!.n).toBe(2);
  });

  it("rolls back the transaction of a client that disappears", async () => {
    const victim = new pg.Client({ connectionString: embedded.url });
    victim.on("error", () => {});
    await victim.connect();
    await victim.query("begin");
    await victim.query("update counter set n = 100");
    // Cut the socket without a Terminate message, as a killed process would.
    (victim as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const other = await connect();
    const { rows } = await other.query<{ n: number }>("select n from counter");
    expect(rows[0]!.n).toBe(2);
  });

  it("refuses connections over the limit with a Postgres error", async () => {
    while (embedded.server.connections < 8) await connect();
    const extra = new pg.Client({ connectionString: embedded.url });
    await expect(extra.connect()).rejects.toThrow(/too many clients/);
  });
});
