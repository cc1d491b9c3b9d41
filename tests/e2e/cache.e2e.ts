/**
 * Public pages from Next's cache, against `next start` on the production build, over plain HTTP:
 * strangers get cached pages with CDN headers and nothing personal in them; a signed-in owner gets
 * private, uncached pages (and a stranger a 404 for a private comparison); a change written outside
 * the web app (a worker recording an epoch) reaches strangers within 5 s, and an owner's edit
 * through the web app at once.
 */
import { eq } from "drizzle-orm";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDbClient, type DbClient } from "../../db/client";
import { user } from "../../db/schema";
import { createPgRunQueue } from "../../server/queue/pgRunQueue";
import { submitRun } from "../../server/queue/service";
import type { Lease } from "../../training/worker/queue";
import { fullConfig, makeComparison } from "../leaderboard/helpers";
import { startStack, trpcMutation, type Stack } from "./stack";

let stack: Stack;
let client: DbClient;
/** The owner's cookies as the browser holds them after signing up: session and draft mode. */
let ownerCookies = "";
let sessionOnly = "";
let publicSlug = "";
let privateSlug = "";
let otherSlug = "";
let runPath = "";
let lease: Lease;

/** The text of a page without React's text separators. */
async function get(path: string, cookie?: string): Promise<{ status: number; cacheControl: string; cache: string; text: string }> {
  const response = await fetch(stack.url + path, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return {
    status: response.status,
    cacheControl: response.headers.get("cache-control") ?? "",
    cache: response.headers.get("x-nextjs-cache") ?? "",
    text: (await response.text()).replaceAll("<!-- -->", ""),
  };
}

/** A browser's document load: Node's fetch would replace the `sec-fetch-mode: navigate` header a browser sends. */
function navigate(path: string, cookie: string): Promise<{ status: number; location: string; setCookies: string[] }> {
  return new Promise((resolve, reject) => {
    const request = http.get(stack.url + path, { headers: { cookie, "sec-fetch-mode": "navigate" } }, (response) => {
      response.resume();
      resolve({
        status: response.statusCode ?? 0,
        location: response.headers.location ?? "",
        setCookies: response.headers["set-cookie"] ?? [],
      });
    });
    request.on("error", reject);
  });
}

function cookiePairs(setCookies: string[]): string[] {
  return setCookies.map((c) => c.split(";")[0]!).filter((pair) => !pair.endsWith("="));
}

beforeAll(async () => {
  stack = await startStack();
  client = createDbClient(stack.databaseUrl, { max: 2 });
  const signUp = await fetch(`${stack.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.url },
    body: JSON.stringify({ name: "Olive", email: "olive@example.test", password: "correct horse battery" }),
  });
  expect(signUp.status).toBe(200);
  const pairs = cookiePairs(signUp.headers.getSetCookie());
  ownerCookies = pairs.join("; ");
  sessionOnly = pairs.filter((p) => p.includes("session_token=")).join("; ");
  const [owner] = await client.db.select({ id: user.id }).from(user).where(eq(user.email, "olive@example.test"));
  const shared = await makeComparison(client.db, owner!.id, "public", "Cached schedules");
  publicSlug = shared.shareSlug;
  privateSlug = (await makeComparison(client.db, owner!.id, "private", "Secret plans")).shareSlug;
  otherSlug = (await makeComparison(client.db, owner!.id, "public", "Another comparison")).shareSlug;
  const run = await submitRun(client.db, { config: fullConfig({ epochs: 5 }), comparisonId: shared.id });
  runPath = `/c/${publicSlug}/runs/${run.id}`;
  // The test plays the worker: another process than the web app writes the epochs.
  const claimed = await createPgRunQueue(client.db).claim({ workerId: "cache-test", backend: "cpu", leaseMs: 600_000 });
  lease = claimed!.lease;
});

afterAll(async () => {
  await client?.close();
  await stack?.stop();
});

async function recordEpoch(epoch: number): Promise<void> {
  const metrics = { epoch, lr: 0.01, loss: 1, acc: 0.5, valLoss: 1, valAcc: 0.4 + 0.1 * epoch, seconds: 1, imagesPerSec: 100 };
  expect(await createPgRunQueue(client.db).recordEpoch(lease, metrics, new Uint8Array(4), 600_000)).toBe("held");
}

describe("public pages from the cache", () => {
  it("serves strangers every public page from the cache, with CDN headers and no account menu", async () => {
    // (The home page has no data: it changes only with a deploy.)
    for (const path of [`/c/${publicSlug}`, runPath, "/leaderboard", "/leaderboard?sort=n&dir=desc", "/browse", "/browse?page=2"]) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      // A CDN keeps them briefly: Next holds them longer and hears of changes, a CDN does not.
      expect(first.cacheControl, path).toBe("s-maxage=1, stale-while-revalidate=1");
      expect(first.text, path).toContain("Sign in");
      expect(first.text, path).not.toContain("Account:");
      const second = await get(path);
      expect(["HIT", "STALE"], path).toContain(second.cache);
    }
    const home = await get("/");
    expect(home.cacheControl).toBe("s-maxage=60, stale-while-revalidate=60");
    expect(home.text).not.toContain("Account:");
  });

  it("keeps each query variant of a listing its own page", async () => {
    // A bad parameter reaches the page through the proxy's rewrite and is reported by name.
    expect((await get("/browse?page=zz")).text).toContain("showing page 1");
    expect((await get("/leaderboard?target=33")).text).toContain("Ignored: target");
    expect((await get("/leaderboard")).text).not.toContain("Ignored:");
  });

  it("renders the owner's private page per request, private and no-store; a stranger then gets a 404", async () => {
    expect(ownerCookies).toContain("__prerender_bypass=");
    const owner = await get(`/c/${privateSlug}`, ownerCookies);
    expect(owner.status).toBe(200);
    expect(owner.text).toContain("Secret plans");
    expect(owner.text).toContain("Account: Olive");
    expect(owner.cacheControl).toMatch(/private/);
    expect(owner.cacheControl).toMatch(/no-store/);
    const stranger = await get(`/c/${privateSlug}`);
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain("Secret plans");
    // Public pages too: whatever a signed-in user gets is never cacheable.
    const ownPublic = await get(`/c/${publicSlug}`, ownerCookies);
    expect(ownPublic.text).toContain("Account: Olive");
    expect(ownPublic.cacheControl).toMatch(/private.*no-store|no-store.*private/);
  });

  it("sends a signed-in browser that lost its draft-mode cookie through /api/viewer first", async () => {
    // A script without a cookie jar is not sent round: it gets what a stranger gets.
    expect((await get(`/c/${privateSlug}`, sessionOnly)).status).toBe(404);
    const first = await navigate(`/c/${privateSlug}`, sessionOnly);
    expect(first.status).toBe(307);
    const viewer = new URL(first.location, stack.url);
    expect(viewer.pathname).toBe("/api/viewer");
    const second = await navigate(viewer.pathname + viewer.search, sessionOnly);
    expect(new URL(second.location, stack.url).pathname).toBe(`/c/${privateSlug}`);
    const cookies = [sessionOnly, ...cookiePairs(second.setCookies)].join("; ");
    expect(cookies).toContain("__prerender_bypass=");
    const page = await get(`/c/${privateSlug}`, cookies);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Secret plans");
  });

  it("shows strangers an epoch recorded by another process within 5 s, polled or after a quiet spell", async () => {
    await recordEpoch(0);
    await expect.poll(async () => (await get(runPath)).text, { timeout: 5_000, interval: 200 }).toContain("1 of 5 epochs");
    expect(["HIT", "STALE"]).toContain((await get(runPath)).cache);

    // Strangers polling: the change shows within 5 s.
    await recordEpoch(1);
    const changed = Date.now();
    await expect.poll(async () => (await get(runPath)).text, { timeout: 5_000, interval: 200 }).toContain("2 of 5 epochs");
    expect(Date.now() - changed).toBeLessThan(5_000);

    // Nobody looking for a while, then one stranger: never a page older than the change.
    await recordEpoch(2);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await get(runPath)).text).toContain("3 of 5 epochs");
  });

  it("gives links a share card: a description and an Open Graph image, a 404 for a private comparison", async () => {
    const page = await get(`/c/${publicSlug}`);
    // After the three epochs above (val accuracy 0.4, 0.5, 0.6).
    expect(page.text).toMatch(
      /<meta name="description" content="1 run · best val accuracy 60\.0% \([^)]+\) · schedules: constant 0\.01"\/>/,
    );
    expect(page.text).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    const image = /<meta property="og:image" content="([^"]+)"/.exec(page.text)?.[1];
    expect(image).toBeDefined();
    const card = await fetch(new URL(image!, stack.url).toString().replace(/^https?:\/\/[^/]+/, stack.url));
    expect(card.status).toBe(200);
    expect(card.headers.get("content-type")).toBe("image/png");
    expect(card.headers.get("cache-control")).toMatch(/s-maxage=\d+/);
    const png = Buffer.from(await card.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    const privateCard = new URL(image!.replace(publicSlug, privateSlug), stack.url).toString().replace(/^https?:\/\/[^/]+/, stack.url);
    expect((await fetch(privateCard)).status).toBe(404);
    const board = await get("/leaderboard");
    const boardImage = /<meta property="og:image" content="([^"]+)"/.exec(board.text)?.[1];
    expect(boardImage).toBeDefined();
    const boardCard = await fetch(new URL(boardImage!, stack.url).toString().replace(/^https?:\/\/[^/]+/, stack.url));
    expect(boardCard.status).toBe(200);
    expect(boardCard.headers.get("content-type")).toBe("image/png");
  });

  /** The CSP's framing directive (the rest of the policy is server/http/headers.ts's, tested in tests/web/http.test.ts). */
  const frameAncestors = (csp: string | null) =>
    csp
      ?.split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("frame-ancestors"));

  it("lets any site frame an embed of the charts and no site frame anything else", async () => {
    const embed = await fetch(`${stack.url}/embed/c/${publicSlug}`);
    expect(embed.status).toBe(200);
    expect(frameAncestors(embed.headers.get("content-security-policy"))).toBe("frame-ancestors *");
    expect(embed.headers.get("cache-control")).toMatch(/s-maxage=\d+/);
    expect(await embed.text()).toContain("Cached schedules");
    for (const path of [`/c/${publicSlug}`, "/leaderboard", "/", "/sign-in"]) {
      expect(frameAncestors((await fetch(stack.url + path)).headers.get("content-security-policy")), path).toBe("frame-ancestors 'none'");
    }
    expect((await get(`/embed/c/${privateSlug}`)).status).toBe(404);
  });

  it("expires only the pages a change shows: an edit, or an epoch recorded by another process, leaves other pages cached", async () => {
    for (const path of [`/c/${publicSlug}`, `/c/${otherSlug}`, "/leaderboard"]) await get(path);
    for (const path of [`/c/${publicSlug}`, `/c/${otherSlug}`, "/leaderboard"]) expect((await get(path)).cache, path).toBe("HIT");
    await trpcMutation(stack.url, "comparisons.update", { slug: otherSlug, title: "Another, renamed", visibility: "public" }, ownerCookies);
    const edited = await get(`/c/${otherSlug}`);
    expect(edited.cache).toBe("MISS");
    expect(edited.text).toContain("Another, renamed");
    expect((await get(`/c/${publicSlug}`)).cache).toBe("HIT");
    expect((await get("/leaderboard")).cache).toBe("HIT");

    await recordEpoch(3);
    await expect.poll(async () => (await get(runPath)).text, { timeout: 5_000, interval: 200 }).toContain("4 of 5 epochs");
    expect((await get(`/c/${otherSlug}`)).cache).toBe("HIT");
  });

  it("expires cached pages at once when the owner changes a comparison through the web app", async () => {
    expect((await get(`/c/${publicSlug}`)).status).toBe(200);
    expect((await get(`/c/${publicSlug}`)).cache).toMatch(/HIT|STALE/);
    await trpcMutation(stack.url, "comparisons.update", { slug: publicSlug, title: "Now private", visibility: "private" }, ownerCookies);
    const stranger = await get(`/c/${publicSlug}`);
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain("Now private");
  });
});
