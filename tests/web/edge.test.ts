/** The proxy's pure parts: the listing rewrite and reading session changes from Set-Cookie headers. */
import { describe, expect, it } from "vitest";
import { listingParams, listingRewrite } from "../../server/edge/publicQuery";
import { sessionChange } from "../../server/edge/cookies";
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
