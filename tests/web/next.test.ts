/**
 * `next` after sign-in: only a path on this site once a browser has normalised it (the WHATWG URL
 * parser drops tabs and newlines and reads `\` as `/`), and never a value that breaks a header.
 * Expectations are what Chromium does with the Location (checked in tests/e2e/http.e2e.ts).
 */
import { describe, expect, it } from "vitest";
import { safeNext } from "../../server/auth/next";

describe("safeNext", () => {
  it.each([
    ["/%09/evil.example/ decoded", "/\t/evil.example/"],
    ["tab between slashes", "/\t/evil.example"],
    ["newline between slashes", "/\n/evil.example"],
    ["CR LF between slashes", "/\r\n/evil.example"],
    ["protocol-relative", "//evil.example"],
    ["slash backslash", "/\\evil.example"],
    ["slash tab backslash", "/\t\\evil.example"],
    ["dot segment to //", "/.//evil.example"],
    ["encoded dot segment to //", "/%2e//evil.example"],
    ["absolute URL", "https://evil.example/"],
    ["javascript:", "javascript:alert(1)"],
    ["leading space", " /comparisons"],
    ["empty", ""],
  ])("refuses %s", (_, value) => {
    expect(safeNext(value)).toBe("/");
  });

  it.each([
    ["/comparisons", "/comparisons"],
    ["/c/AbCdEfGh12?tab=runs#chart", "/c/AbCdEfGh12?tab=runs#chart"],
    ["/leaderboard?q=adam%20w", "/leaderboard?q=adam%20w"],
    // Control characters vanish or are escaped as the browser would, so the Location header stays valid.
    ["/c/x\r\nSet-Cookie: a=b", "/c/xSet-Cookie:%20a=b"],
    ["/c/x\u0000y", "/c/x%00y"],
    ["/caf\u00e9", "/caf%C3%A9"],
  ])("keeps %j as %s", (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it("takes the first of repeated values and defaults to /", () => {
    expect(safeNext(["/a", "/b"])).toBe("/a");
    expect(safeNext(undefined)).toBe("/");
  });
});
