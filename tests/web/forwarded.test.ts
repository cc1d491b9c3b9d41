/** Who the client is: forwarding headers believed only from configured proxies. */
import { describe, expect, it } from "vitest";
import { clientAddress, normaliseForwarding, parseTrustedProxies } from "../../server/http/forwarded";

describe("clientAddress", () => {
  it("is the socket's peer when no proxy is configured, whatever X-Forwarded-For says", () => {
    expect(clientAddress("198.51.100.7", "203.0.113.9", null)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.7", "203.0.113.9, 10.0.0.1", null)).toBe("198.51.100.7");
  });

  it("is the peer when the peer is not a configured proxy", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8");
    expect(clientAddress("198.51.100.7", "203.0.113.9", trusted)).toBe("198.51.100.7");
  });

  it("walks a trusted chain from the right to the first untrusted hop", () => {
    const trusted = parseTrustedProxies("10.0.0.1, 192.168.0.0/16, fd00::/8");
    // client → 192.168.1.5 → 10.0.0.1 → us; the client prepended a spoofed address.
    expect(clientAddress("10.0.0.1", "1.2.3.4, 198.51.100.7, 192.168.1.5", trusted)).toBe("198.51.100.7");
    expect(clientAddress("fd00::2", "2001:db8::1", trusted)).toBe("2001:db8::1");
    // Every hop trusted: the leftmost is the closest thing to a client.
    expect(clientAddress("10.0.0.1", "192.168.1.5", trusted)).toBe("192.168.1.5");
    // No header from a proxy: the proxy itself.
    expect(clientAddress("10.0.0.1", undefined, trusted)).toBe("10.0.0.1");
    // Garbage a trusted hop passed on is not an address: stop at the hop that vouched for it.
    expect(clientAddress("10.0.0.1", "198.51.100.7, not-an-ip", trusted)).toBe("10.0.0.1");
  });
});

describe("parseTrustedProxies", () => {
  it("is null for nothing and throws naming a bad entry", () => {
    expect(parseTrustedProxies(" ")).toBeNull();
    expect(() => parseTrustedProxies("10.0.0.1, 10.0.0.0/33")).toThrow("'10.0.0.0/33' is not an IP address or CIDR range");
    expect(() => parseTrustedProxies("proxy.internal")).toThrow("'proxy.internal' is not an IP address or CIDR range");
    expect(() => parseTrustedProxies("10.0.0.0/8x")).toThrow("'10.0.0.0/8x'");
  });
});

describe("normaliseForwarding", () => {
  it("replaces a direct client's forwarding headers with its own address and scheme", () => {
    const headers: Record<string, string | string[] | undefined> = {
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
      "x-real-ip": "203.0.113.9",
      forwarded: "for=203.0.113.9",
      host: "localhost:3000",
    };
    normaliseForwarding(headers, { remoteAddress: "::ffff:198.51.100.7" }, null);
    expect(headers).toEqual({ "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "http", host: "localhost:3000" });
  });

  it("keeps a trusted proxy's scheme and resolves its chain", () => {
    const headers: Record<string, string | string[] | undefined> = {
      "x-forwarded-for": "1.2.3.4, 198.51.100.7",
      "x-forwarded-proto": "https",
    };
    normaliseForwarding(headers, { remoteAddress: "10.0.0.1" }, parseTrustedProxies("10.0.0.1"));
    expect(headers).toEqual({ "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https" });
  });
});
