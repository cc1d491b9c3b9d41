/**
 * Who the client is. Forwarding headers are believed only when the connection comes from a
 * configured proxy (LRLAB_TRUSTED_PROXIES; none by default): then X-Forwarded-For is walked from
 * the right past trusted hops to the first address a trusted proxy vouched for. Otherwise the
 * socket's peer is the client and any forwarding headers it sent are replaced. The web server
 * rewrites every request this way, so the auth rate limiter (which keys on a single-address
 * X-Forwarded-For) and Next see the real client.
 */
import net from "node:net";

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function family(address: string): "ipv4" | "ipv6" | null {
  const version = net.isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/** Parses "10.0.0.1, 192.168.0.0/16, fd00::/8"; throws naming the first entry that is not an address or range. */
export function parseTrustedProxies(text: string): net.BlockList | null {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const type = family(address);
    const bits = prefix === undefined ? null : Number(prefix);
    const maxBits = type === "ipv4" ? 32 : 128;
    if (!type || (bits !== null && (!/^\d+$/.test(prefix!) || bits > maxBits)))
      throw new Error(`'${entry}' is not an IP address or CIDR range`);
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

function isTrusted(address: string, trusted: net.BlockList): boolean {
  const type = family(address);
  return type !== null && trusted.check(address, type);
}

/** The client's address for a connection from `peer` carrying `forwardedFor`. */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: net.BlockList | null): string {
  let client = plain(peer);
  if (!trusted || !isTrusted(client, trusted)) return client;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => plain(hop.trim()))
    .filter(Boolean);
  // Right to left: each trusted hop vouches for the one before it; stop at the first it cannot.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (family(hop) === null) return client;
    client = hop;
    if (!isTrusted(hop, trusted)) return client;
  }
  return client;
}

/** Headers a client could use to pose as someone else; only a trusted proxy may set them. */
const FORWARDING = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-port", "x-forwarded-proto", "x-real-ip", "forwarded"];

/**
 * Rewrites a request's forwarding headers in place: X-Forwarded-For becomes the one client
 * address; X-Forwarded-Proto is the trusted proxy's (its last value) or this connection's own.
 */
export function normaliseForwarding(
  headers: Record<string, string | string[] | undefined>,
  socket: { remoteAddress?: string | undefined; encrypted?: boolean },
  trusted: net.BlockList | null,
): void {
  const peer = socket.remoteAddress ?? "";
  const fromProxy = trusted !== null && isTrusted(plain(peer), trusted);
  const forwardedFor = headers["x-forwarded-for"];
  const client = clientAddress(peer, Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor, trusted);
  const proxyProto = fromProxy
    ? String(headers["x-forwarded-proto"] ?? "")
        .split(",")
        .pop()
        ?.trim()
    : undefined;
  if (!fromProxy) for (const name of FORWARDING) delete headers[name];
  headers["x-forwarded-for"] = client;
  headers["x-forwarded-proto"] = proxyProto === "https" || proxyProto === "http" ? proxyProto : socket.encrypted ? "https" : "http";
}
