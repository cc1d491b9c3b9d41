/**
 * The embedded server against hostile or broken local clients, with its timeouts shortened so the
 * behaviour shows in well under a second (defaults: 5 s each).
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../config";
import { credentialsPath } from "./credentials";
import { lockPath } from "./lockFile";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./server";

const AUTH_TIMEOUT_MS = 300;
const IDLE_MS = 300;
const MAX_MESSAGE = 1 << 20;
const MAX_CONNECTIONS = 6;

let embedded: EmbeddedDatabase;
const clients: pg.Client[] = [];

async function connect(url = embedded.url): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // asserted through the queries that fail
  clients.push(client);
  await client.connect();
  return client;
}

/** A raw socket to the server, with everything it receives and when it closes. */
function rawSocket(): Promise<{ socket: net.Socket; received: () => Buffer; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(embedded.port, "127.0.0.1");
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    const opened = Date.now();
    const closed = new Promise<number>((done) => socket.on("close", () => done(Date.now() - opened)));
    socket.once("connect", () => resolve({ socket, received: () => Buffer.concat(chunks), closed }));
    socket.once("error", reject);
  });
}

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms))]);

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({
    dataDir: "memory://",
    maxConnections: MAX_CONNECTIONS,
    authTimeoutMs: AUTH_TIMEOUT_MS,
    idleInTransactionMs: IDLE_MS,
    maxMessageBytes: MAX_MESSAGE,
  });
  const setup = await connect();
  await setup.query("create table secrets (s text)");
  await setup.query("insert into secrets values ('hash')");
  await setup.query("create table counter (n int not null)");
  await setup.query("insert into counter values (0)");
  await setup.end();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await embedded.stop();
});

describe("embedded server authentication", () => {
  it("requires the password of the data directory (SCRAM-SHA-256)", async () => {
    expect(new URL(embedded.url).password).toMatch(/^[0-9a-f]{48}$/);
    await expect(connect(withPassword(embedded.url, "wrong-password-0123456789"))).rejects.toThrow(/password authentication failed/);
    await expect(connect(withPassword(embedded.url, ""))).rejects.toThrow(/password/);
    const good = await connect();
    expect((await good.query<{ s: string }>("select s from secrets")).rows).toEqual([{ s: "hash" }]);
    await good.end();
  });

  it("drops sockets that never authenticate, and they never lock real clients out", async () => {
    const silent = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 4 }, () => rawSocket()));
    const started = Date.now();
    const client = await connect(); // pushes the oldest silent socket out instead of being refused
    expect((await client.query<{ n: number }>("select 1 as n")).rows[0]!.n).toBe(1);
    await client.end();
    const lifetimes = await within(Promise.all(silent.map((s) => s.closed)), AUTH_TIMEOUT_MS + 2_000);
    expect(lifetimes).not.toBe("timeout");
    expect(Date.now() - started).toBeLessThan(AUTH_TIMEOUT_MS + 2_000);
  });
});

describe("embedded server session timeouts", () => {
  it("rolls back and disconnects a client idle in a transaction; the others go on", async () => {
    const [idle, other] = [await connect(), await connect()];
    const errors: Error[] = [];
    idle.on("error", (error) => errors.push(error));
    await idle.query("begin");
    await idle.query("update counter set n = 100");
    const started = Date.now();
    const seen = await within(other.query<{ n: number }>("select n from counter"), IDLE_MS + 3_000);
    expect(seen).not.toBe("timeout");
    expect((seen as pg.QueryResult<{ n: number }>).rows[0]!.n).toBe(0); // the idle transaction was rolled back
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50); // it had its full allowance
    await expect(idle.query("commit")).rejects.toThrow();
    expect(errors.map((e) => e.message).join("\n")).toMatch(/idle-in-transaction timeout/);
  });

  it("does the same for an extended query left without its Sync", async () => {
    const [stuck, other] = [await connect(), await connect()];
    // A Parse, flushed, and then nothing: the backend belongs to this client until its Sync.
    const connection = (
      stuck as unknown as { connection: { parse(q: { text: string; name: string; types: number[] }): void; flush(): void } }
    ).connection;
    connection.parse({ text: "select 1", name: "", types: [] });
    connection.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const seen = await within(other.query<{ n: number }>("select n from counter"), IDLE_MS + 3_000);
    expect(seen).not.toBe("timeout");
    expect((seen as pg.QueryResult<{ n: number }>).rows[0]!.n).toBe(0);
  });

  it("keeps a client that is busy inside a transaction for longer than the timeout", async () => {
    const client = await connect();
    await client.query("begin");
    for (let k = 0; k < 6; k++) {
      await client.query("update counter set n = n + 1");
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 3));
    }
    await client.query("commit");
    expect((await client.query<{ n: number }>("select n from counter")).rows[0]!.n).toBe(6);
    await client.query("update counter set n = 0");
  });
});

describe("embedded server message size limit", () => {
  it("refuses a message above the limit from its header, before reading its body", async () => {
    const client = await connect();
    const errors: Error[] = [];
    client.on("error", (error) => errors.push(error));
    const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    // A Query declaring 2 GB, followed by a first 64 KB of its body.
    const head = Buffer.alloc(5);
    head.write("Q", 0, "latin1");
    head.writeInt32BE(0x7fffffff, 1);
    socket.write(Buffer.concat([head, Buffer.alloc(64 * 1024, 0x41)]));
    expect(await within(closed, 2_000)).not.toBe("timeout");
    expect(errors.map((e) => e.message).join("\n")).toMatch(/exceeds the limit of 1048576 bytes/);
    // Under the limit still works, and so does everyone else.
    const other = await connect();
    const { rows } = await other.query<{ n: number }>("select length($1::text) as n", ["x".repeat(MAX_MESSAGE / 2)]);
    expect(rows[0]!.n).toBe(MAX_MESSAGE / 2);
  });

  it("refuses an oversized startup packet before authentication", async () => {
    const raw = await rawSocket();
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(100_000_000, 0);
    startup.writeInt32BE(196608, 4);
    raw.socket.write(startup);
    expect(await within(raw.closed, 2_000)).not.toBe("timeout");
    expect(raw.received().toString("latin1")).toContain("exceeds the limit of 10000 bytes");
  });

  it("allows, by default, more than the largest checkpoint", () => {
    // Seed CNN (1,250,858 float32 weights) with two optimizer slots, as Adam and Adadelta keep.
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBeGreaterThan(3 * 1_250_858 * 4 + 64 * 1024);
  });
});

describe("embedded server on a data directory", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-hardening-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("keeps its password in a 0600 file, never in the lock, and comes back on the same port", { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp, "db");
    const first = await startEmbeddedDatabase({ dataDir });
    const password = new URL(first.url).password;
    expect(fs.statSync(credentialsPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(lockPath(dataDir), "utf8")).not.toContain(password);
    const port = first.port;
    await first.stop();
    const second = await startEmbeddedDatabase({ dataDir });
    try {
      expect(second.port).toBe(port);
      expect(new URL(second.url).password).toBe(password);
      const client = await connect(second.url);
      expect((await client.query<{ n: number }>("select 1 as n")).rows[0]!.n).toBe(1);
      await client.end();
    } finally {
      await second.stop();
    }
  });
});
