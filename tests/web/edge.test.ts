/** The proxy's pure parts (the listing rewrite, session changes from Set-Cookie headers), when it runs, and shared-cache lifetimes. */
import { describe, expect, it } from "vitest";
import { config } from "../../proxy";
import { LISTING_PARAMS, listingParams, listingRewrite } from "../../server/edge/publicQuery";
import { BYPASS_COOKIE, SESSION_COOKIES, sessionChange, VIEWER_TRIED_COOKIE } from "../../server/edge/cookies";
import { headerRules } from "../../server/http/headers";
describe("listing query rewrite", () => {
  it("keeps known parameters in a fixed order, so every spelling of a view is one cache entry", () => {
    const a = listingRewrite("/leaderboard", new URLSearchParams("dir=desc&sort=n&utm_source=x&q=step 0.1"));
    const b = listingRewrite("/leaderboard", new URLSearchParams("q=step+0.1&sort=n&dir=desc"));
    expect(a).toBe("/leaderboard/q/sort%3Dn%26dir%3Ddesc%26q%3Dstep%2B0.1");
    expect(b).toBe(a);
    expect(listingParams(a!.slice("/leaderboard/q/".length))).toEqual({ sort: "n", dir: "desc", q: "step 0.1" });
    expect(listingParams("q%3D50%2525")).toEqual({ q: "50%" });
    expect(listingParams("%E0%A4%A")).toEqual({});
  });

  it("maps no parameters to one segment and leaves other paths alone", () => {
    expect(listingRewrite("/browse", new URLSearchParams("foo=1"))).toBe("/browse/q/_");
    expect(listingParams("_")).toEqual({});
    expect(listingRewrite("/browse", new URLSearchParams("page=3"))).toBe("/browse/q/page%3D3");
    expect(listingRewrite("/c/abc", new URLSearchParams("page=3"))).toBeNull();
  });
});

describe("session cookie changes", () => {
  it("tells a session starting from one ending", () => {
    expect(sessionChange(["better-auth.session_token=abc.def; Path=/; HttpOnly; Max-Age=604800"])).toBe("started");
    expect(sessionChange(["__Secure-better-auth.session_token=abc; Path=/; Secure"])).toBe("started");
    expect(sessionChange(["better-auth.session_token=; Path=/; Max-Age=0"])).toBe("ended");
    expect(sessionChange(["better-auth.session_token=abc; Max-Age=0"])).toBe("ended");
    expect(sessionChange(["better-auth.session_data=xyz; Path=/"])).toBeNull();
    expect(sessionChange([])).toBeNull();
  });
});

describe("when the proxy runs", () => {
  const matchers = config.matcher as { source: string; has?: { type: string; key: string }[]; missing?: { type: string; key: string }[] }[];

  it("only for listings with a query parameter they keep, so a stranger's bare listing or cached page skips it", () => {
    const queryKeys = (source: string) =>
      matchers.filter((m) => m.source === source).flatMap((m) => (m.has ?? []).filter((h) => h.type === "query").map((h) => h.key));
    expect(queryKeys("/leaderboard")).toEqual(["sort", "dir", "target", "optimizer", "scheduleKind", "model", "epochs", "q", "page"]);
    expect(queryKeys("/leaderboard")).toEqual(LISTING_PARAMS["/leaderboard"]);
    expect(queryKeys("/browse")).toEqual(["page"]);
    expect(queryKeys("/browse")).toEqual(LISTING_PARAMS["/browse"]);
  });

  it("for any page only with a session cookie and neither the draft-mode cookie nor the tried-once marker", () => {
    const byCookie = matchers.filter((m) => m.has?.some((h) => h.type === "cookie"));
    expect(byCookie.map((m) => m.has)).toEqual(SESSION_COOKIES.map((key) => [{ type: "cookie", key }]));
    for (const m of byCookie) {
      expect(m.missing).toEqual([
        { type: "cookie", key: "__prerender_bypass" },
        { type: "cookie", key: "lrlab.viewer" },
      ]);
      expect(m.missing?.map((c) => c.key)).toEqual([BYPASS_COOKIE, VIEWER_TRIED_COOKIE]);
    }
  });
});

describe("shared-cache lifetimes", () => {
  it("give strangers' cached pages 1 s (+1 s stale) and the home page a minute (+1 stale), never in draft mode", () => {
    const rules = headerRules(false).filter((rule) => rule.headers.some((h) => h.key === "Cache-Control"));
    const bySource = Object.fromEntries(rules.map((rule) => [rule.source, rule.headers.find((h) => h.key === "Cache-Control")!.value]));
    expect(bySource["/c/:slug"]).toBe("s-maxage=1, stale-while-revalidate=1");
    expect(bySource["/leaderboard"]).toBe("s-maxage=1, stale-while-revalidate=1");
    expect(bySource["/"]).toBe("s-maxage=60, stale-while-revalidate=60");
    // Personal pages under /c/<slug> are not cached pages.
    expect(Object.keys(bySource)).not.toContain("/c/:slug/:path*");
    for (const rule of rules) expect(rule.missing).toEqual([{ type: "cookie", key: "__prerender_bypass" }]);
  });
});
