import { describe, expect, it } from "vitest";
import { scriptSources } from "../../bench/bundle";

describe("bundle bench", () => {
  it("counts the scripts a page loads, once each, without nomodule polyfills", () => {
    const html = [
      '<script src="/_next/static/chunks/a.js" async=""></script>',
      '<script src="/_next/static/chunks/polyfill.js" noModule=""></script>',
      '<script>self.__next_f.push([1,"x"])</script>',
      '<script src="/_next/static/chunks/b.js?v=1&amp;x=2"></script>',
      '<script src="/_next/static/chunks/a.js" async=""></script>',
    ].join("");
    expect(scriptSources(html)).toEqual(["/_next/static/chunks/a.js", "/_next/static/chunks/b.js?v=1&x=2"]);
  });
});
