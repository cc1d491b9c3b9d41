/**
 * Where to go after signing in or up: a path on this site only. The value is resolved the way a
 * browser resolves a Location (the WHATWG URL parser: tabs and newlines dropped, `\` read as `/`,
 * dot segments removed), so a value that looks local but turns into another host once the browser
 * normalises it (`/\t/evil.example/`, `/\evil.example`, `/.//evil.example`) is refused, and what is
 * returned is the parser's own serialisation (no raw control characters to break a header).
 */
const BASE = "http://lrlab.invalid";

export function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "//host" or "/\host" would be read as another host when sent on as a relative URL.
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}
