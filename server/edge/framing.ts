/**
 * Who may put our pages in a frame: any site for the embeds (/embed/…), no one for every other
 * page (clickjacking). One piece, as next.config.ts `headers()` entries, for the security-headers
 * module to fold in; the later entry wins for /embed/ (Next applies matching entries in order).
 */
export const EMBED_PREFIX = "/embed/";

export function framingHeaders(): { source: string; headers: { key: string; value: string }[] }[] {
  return [
    { source: "/:path*", headers: [{ key: "Content-Security-Policy", value: "frame-ancestors 'none'" }] },
    { source: `${EMBED_PREFIX}:path*`, headers: [{ key: "Content-Security-Policy", value: "frame-ancestors *" }] },
  ];
}
