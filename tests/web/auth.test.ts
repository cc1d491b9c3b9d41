/**
 * Sign-in through better-auth's real handler over the embedded database, and the tRPC HTTP door
 * with a context built from the session cookie: anonymous calls get 401, bad input gets
 * field-named messages in the response.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../env";
import { createAuth, type Auth } from "../../server/auth/config";
import { appRouter } from "../../server/api/root";
import type { Context } from "../../server/api/trpc";
import { draft, startTestDb, TEST_LIMITS, type TestDb } from "./harness";

const ORIGIN = "http://localhost:3000";
let t: TestDb;
let auth: Auth;

beforeAll(async () => {
  t = await startTestDb();
  auth = createAuth(t.db, parseEnv({ NODE_ENV: "test" }));
});
afterAll(() => t.close());

function post(path: string, body: unknown, cookie?: string): Promise<Response> {
  return auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

/** The session cookie a response sets, as a Cookie header. */
function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  return cookie.split(";")[0]!;
}

/** Queries go as GET with the input in the URL, mutations as POST, as the tRPC client sends them. */
async function trpc(path: string, input: unknown, cookie?: string): Promise<{ status: number; body: any }> {
  const query = ["comparisons.bySlug", "comparisons.mine"].includes(path);
  const encoded = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req: new Request(`${ORIGIN}/api/trpc/${path}${query ? `?input=${encoded}` : ""}`, {
      method: query ? "GET" : "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      ...(query ? {} : { body: JSON.stringify({ json: input }) }),
    }),
    createContext: async ({ req }): Promise<Context> => {
      const session = await auth.api.getSession({ headers: req.headers });
      return {
        db: t.db,
        user: session ? { id: session.user.id, name: session.user.name, email: session.user.email } : null,
        limits: TEST_LIMITS,
      };
    },
  });
  return { status: response.status, body: await response.json() };
}

describe("email + password sign-in", () => {
  let cookie: string;

  it("signs up, stores the session in the database, and signs in the new user", async () => {
    const response = await post("/sign-up/email", { email: "ada@example.test", password: "correct horse", name: "Ada" });
    expect(response.status).toBe(200);
    cookie = sessionCookie(response);
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ email: "ada@example.test", name: "Ada" });
    const rows = await t.db.query.comparisons.findMany(); // the app's own tables stay untouched
    expect(rows).toEqual([]);
  });

  it("makes the session's user the owner in protected procedures", async () => {
    const created = await trpc("comparisons.create", { title: "Ada's", visibility: "private", runs: [draft()] }, cookie);
    expect(created.status).toBe(200);
    const slug = created.body.result.data.json.slug as string;
    const view = await trpc("comparisons.bySlug", { slug }, cookie);
    expect(view.body.result.data.json).toMatchObject({ title: "Ada's", ownerName: "Ada", isOwner: true });
  });

  it("rejects a short password and a duplicate email with messages", async () => {
    const short = await post("/sign-up/email", { email: "bo@example.test", password: "short", name: "Bo" });
    expect(short.status).toBe(400);
    expect((await short.json()).message).toMatch(/password/i);
    const duplicate = await post("/sign-up/email", { email: "ada@example.test", password: "another one", name: "Ada 2" });
    expect(duplicate.status).toBeGreaterThanOrEqual(400);
    expect((await duplicate.json()).message).toMatch(/exist/i);
  });

  it("refuses a wrong password and accepts the right one", async () => {
    expect((await post("/sign-in/email", { email: "ada@example.test", password: "wrong horse" })).status).toBe(401);
    const ok = await post("/sign-in/email", { email: "ada@example.test", password: "correct horse" });
    expect(ok.status).toBe(200);
    expect(sessionCookie(ok)).toMatch(/session_token=/);
  });

  it("signs out: the session no longer authenticates", async () => {
    const out = await post("/sign-out", {}, cookie);
    expect(out.status).toBe(200);
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
    const anonymous = await trpc("comparisons.mine", undefined, cookie);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.json.data.code).toBe("UNAUTHORIZED");
  });
});

describe("the tRPC HTTP door", () => {
  it("rejects anonymous protected calls with 401", async () => {
    const response = await trpc("comparisons.create", { title: "x", visibility: "public", runs: [draft()] });
    expect(response.status).toBe(401);
  });

  it("answers bad input with one 'path: message' line per field and the issues as data", async () => {
    const signUp = await post("/sign-up/email", { email: "cy@example.test", password: "long enough", name: "Cy" });
    const response = await trpc(
      "comparisons.create",
      { title: "bad", visibility: "public", runs: [draft({ schedule: { kind: "step", lr: -1, drop: 0.5, epochsDrop: 10 } })] },
      sessionCookie(signUp),
    );
    expect(response.status).toBe(400);
    const error = response.body.error.json;
    expect(error.message).toBe("runs[0].config.schedule.lr: must be > 0");
    expect(error.data.fieldIssues).toEqual([{ path: "runs[0].config.schedule.lr", message: "must be > 0" }]);
  });
});
