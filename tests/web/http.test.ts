/**
 * The HTTP doors as the routes serve them (server/http/apiHandlers.ts), on a throwaway database:
 * body and batch limits, Cache-Control, errors that never show SQL, parameters or stacks, account
 * names checked by the server, and the sign-in limiter keyed on the real client behind the web
 * server's forwarding rewrite (server/http/forwarded.ts) over a real socket.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { user } from "../../db/schema";
import { parseEnv } from "../../env";
import { INTERNAL_MESSAGE, type Context } from "../../server/api/trpc";
import { createAuth, type Auth } from "../../server/auth/config";
import { MAX_NAME_LENGTH } from "../../lib/auth/policy";
import { authHandler, trpcHandler } from "../../server/http/apiHandlers";
import { MAX_JSON_BODY_BYTES } from "../../server/http/body";
import { normaliseForwarding, parseTrustedProxies } from "../../server/http/forwarded";
import { startTestDb, TEST_LIMITS, type TestDb } from "./harness";

const ORIGIN = "http://localhost:3000";
let t: TestDb;
let auth: Auth;
let trpc: (request: Request) => Promise<Response>;
let authRoute: (request: Request) => Promise<Response>;

beforeAll(async () => {
  t = await startTestDb();
  auth = createAuth(t.db, parseEnv({ NODE_ENV: "test" }));
  trpc = trpcHandler(() => Promise.resolve({ db: t.db, user: null, limits: TEST_LIMITS }));
  authRoute = authHandler(() => Promise.resolve(auth));
});
afterAll(() => t.close());

const json = (body: unknown) => JSON.stringify(body);
const query = (path: string, input: unknown) => `${ORIGIN}/api/trpc/${path}?input=${encodeURIComponent(json({ json: input }))}`;

function signUp(route: (request: Request) => Promise<Response>, body: unknown): Promise<Response> {
  return route(
    new Request(`${ORIGIN}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: json(body),
    }),
  );
}

describe("tRPC route", () => {
  it("answers with Cache-Control: private, no-store", async () => {
    const response = await trpc(new Request(query("leaderboard.list", {})));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("accepts a batch of 16 calls and refuses 17 with 400", async () => {
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => "leaderboard.list").join(",");
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: {} }]));
      return trpc(new Request(`${ORIGIN}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(json(input))}`));
    };
    expect((await batch(16)).status).toBe(200);
    const refused = await batch(17);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("cache-control")).toBe("private, no-store");
    expect(JSON.stringify(await refused.json())).toMatch(/Batch call exceeds maximum size/);
  });

  it("refuses a body over 1 MB with 413, declared or streamed, and takes one at the limit", async () => {
    const big = json({ json: { title: "x".repeat(MAX_JSON_BODY_BYTES), visibility: "public", runs: [] } });
    const declared = await trpc(
      new Request(`${ORIGIN}/api/trpc/comparisons.create`, { method: "POST", headers: { "content-type": "application/json" }, body: big }),
    );
    expect(declared.status).toBe(413);
    expect(declared.headers.get("cache-control")).toBe("private, no-store");
    // Chunked: no Content-Length to trust, so the limit counts bytes as they arrive.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 50 * 1024 * 1024) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const streamed = await trpc(
      new Request(`${ORIGIN}/api/trpc/comparisons.create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(2 * MAX_JSON_BODY_BYTES);
    // At the limit the body is parsed: an anonymous mutation is then refused as unauthorised.
    const padding = MAX_JSON_BODY_BYTES - json({ json: { title: "", visibility: "public", runs: [] } }).length;
    const atLimit = json({ json: { title: "x".repeat(padding), visibility: "public", runs: [] } });
    expect(atLimit.length).toBe(MAX_JSON_BODY_BYTES);
    const accepted = await trpc(
      new Request(`${ORIGIN}/api/trpc/comparisons.create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: atLimit,
      }),
    );
    expect(accepted.status).toBe(401);
  });

  it("answers an unexpected error with a generic message: no SQL, parameters or stack", async () => {
    const secret = "hunter2-parameter";
    // Every property read throws, as a database driver failing with the query in its message would.
    const failingDb = new Proxy(Object.create(null) as Db, {
      get() {
        throw new Error(`Failed query: select "password" from "account" where "email" = $1\nparams: ${secret}`);
      },
    });
    const handler = trpcHandler((): Promise<Context> => Promise.resolve({ db: failingDb, user: null, limits: TEST_LIMITS }));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    let response: Response;
    try {
      response = await handler(new Request(query("leaderboard.list", {})));
    } finally {
      console.error = original;
    }
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/select|account|params|hunter2|Failed query|at [\w.]+ \(|\.ts:\d+/i);
    const body = JSON.parse(text) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.message).toBe(INTERNAL_MESSAGE);
    expect(body.error.json.data).not.toHaveProperty("stack");
    expect(body.error.json.data.code).toBe("INTERNAL_SERVER_ERROR");
    // The server's log keeps the real error.
    expect(JSON.stringify(errors.map(String))).toMatch(/hunter2/);
  });

  it("keeps field-named messages for bad input", async () => {
    const response = await trpc(new Request(query("leaderboard.list", { q: "x\u0000" })));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.message).toBe("q: must not contain control characters (found U+0000)");
    expect(body.error.json.data).not.toHaveProperty("stack");
  });
});

describe("auth route", () => {
  it("signs up with Cache-Control: private, no-store and the session cookie intact", async () => {
    const response = await signUp(authRoute, { email: "ada@example.test", password: "correct horse", name: "Ada" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("refuses a body over 1 MB with 413 before parsing it", async () => {
    const response = await signUp(authRoute, {
      email: "big@example.test",
      password: "correct horse",
      name: "x".repeat(MAX_JSON_BODY_BYTES),
    });
    expect(response.status).toBe(413);
  });

  it(`limits names to ${MAX_NAME_LENGTH} characters and refuses control characters, naming the field`, async () => {
    const long = await signUp(authRoute, { email: "long@example.test", password: "correct horse", name: "n".repeat(MAX_NAME_LENGTH + 1) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { message: string }).message).toBe(`name: must be at most ${MAX_NAME_LENGTH} characters`);
    const nul = await signUp(authRoute, { email: "nul@example.test", password: "correct horse", name: "Eve\u0000" });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { message: string }).message).toBe("name: must not contain control characters (found U+0000)");
    const atLimit = await signUp(authRoute, {
      email: "max@example.test",
      password: "correct horse",
      name: ` ${"m".repeat(MAX_NAME_LENGTH)} `,
    });
    expect(atLimit.status).toBe(200);
    const names = (await t.db.select({ name: user.name, email: user.email }).from(user)).map((row) => row.email);
    expect(names.sort()).toEqual(["ada@example.test", "max@example.test"]);
  });

  it("checks names changed through update-user too", async () => {
    const session = await signUp(authRoute, { email: "upd@example.test", password: "correct horse", name: "Upd" });
    const cookie = session.headers
      .getSetCookie()
      .find((c) => c.includes("session_token="))!
      .split(";")[0]!;
    const update = (name: string) =>
      authRoute(
        new Request(`${ORIGIN}/api/auth/update-user`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: ORIGIN, cookie },
          body: json({ name }),
        }),
      );
    const bad = await update("x".repeat(16 * 1024));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe(`name: must be at most ${MAX_NAME_LENGTH} characters`);
    expect((await update("Renamed")).status).toBe(200);
    const rows = await t.db.select({ name: user.name, email: user.email }).from(user);
    expect(rows.find((row) => row.email === "upd@example.test")?.name).toBe("Renamed");
  });
});

/**
 * The auth route behind a Node HTTP server that rewrites forwarding headers as the web server
 * does (server/http/main.ts), with rate limiting on as in production.
 */
async function limitedServer(trustedProxies: string): Promise<{ url: string; close(): Promise<void> }> {
  const limited = createAuth(t.db, parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "s".repeat(40), BETTER_AUTH_URL: ORIGIN }));
  const route = authHandler(() => Promise.resolve(limited));
  const trusted = parseTrustedProxies(trustedProxies);
  const server = http.createServer((req, res) => {
    normaliseForwarding(req.headers, req.socket, trusted);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      void route(new Request(`${ORIGIN}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }))
        .then(async (response) => {
          res.writeHead(response.status, { "content-type": "application/json" });
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => res.writeHead(599).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function signInStatus(url: string, forwardedFor: string, email: string): Promise<number> {
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": forwardedFor },
    body: json({ email, password: "wrong password" }),
  });
  return response.status;
}

describe("sign-in rate limit behind the web server", () => {
  it("ignores a client's X-Forwarded-For by default: rotating it still hits the limit", async () => {
    const server = await limitedServer("");
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push(await signInStatus(server.url, `203.0.113.${i + 1}`, "rotate@example.test"));
      // better-auth allows 3 sign-in attempts per 10 s per client.
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    } finally {
      await server.close();
    }
  });

  it("behind a configured appending proxy, limits each client on its own", async () => {
    // The test's socket comes from 127.0.0.1: here that is the proxy, which appended the client.
    const server = await limitedServer("127.0.0.1, ::1");
    try {
      const a: number[] = [];
      for (let i = 0; i < 4; i++) a.push(await signInStatus(server.url, `spoofed-${i}, 198.51.100.7`, "a@example.test"));
      expect(a).toEqual([401, 401, 401, 429]);
      // Another client through the same proxy has its own allowance.
      expect(await signInStatus(server.url, "spoofed-0, 198.51.100.8", "b@example.test")).toBe(401);
    } finally {
      await server.close();
    }
  });
});
