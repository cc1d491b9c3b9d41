/**
 * The response header policy, in one place: security headers on every response (next.config.ts
 * turns `headerRules()` into Next's header rules), the shared-cache lifetime of what strangers get
 * from the cached pages (`CACHED_PAGES`), and `Cache-Control: private, no-store` for per-user API
 * answers (tRPC, auth), which the route handlers apply with `noStore`.
 */
import { BYPASS_COOKIE } from "../edge/cookies";

/** Where a path may be shown in a frame: nowhere (the default), or by any site. */
export type FramePolicy = "none" | "any";

/**
 * The per-path hook: Next path patterns whose responses may be framed by any site (e.g. an
 * embeddable widget: `{ source: "/embed/:path*", frames: "any" }`). Later entries win.
 */
export const FRAME_POLICIES: readonly { source: string; frames: FramePolicy }[] = [{ source: "/embed/:path*", frames: "any" }];

/**
 * What the pages load: Next's own scripts (its inline bootstrap and flight data need
 * 'unsafe-inline', as nonces would make every page dynamic), styles inline and from the build,
 * chart and sample images as data:/blob: URLs, and requests to this origin and `connect` (the
 * origin of LRLAB_DATASET_URL, where the preview fetches CIFAR-10 slices) only. Development adds
 * what Next's dev server needs (eval for fast refresh, its websocket).
 */
export function contentSecurityPolicy(frames: FramePolicy, development = false, connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connect, ...(development ? ["ws:", "wss:"] : [])].join(" "),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frames === "any" ? "*" : "'none'"}`,
  ].join("; ");
}

/** Sent with every response. */
export function securityHeaders(frames: FramePolicy, development = false, connect: readonly string[] = []): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(frames, development, connect),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  };
}

/** Two years, subdomains included: sent only on requests that came over https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * What a CDN may do with a cached page a stranger got: serve it 1 s, and 1 s more while it asks
 * again. Next itself keeps the pages far longer (their `revalidate`) and expires them when they
 * change (server/edge/invalidate.ts); Next's own header would pass that long lifetime on to a CDN,
 * which hears of no change, so this replaces it: a change reaches a CDN's users within 2 s of
 * reaching the server.
 */
export const PUBLIC_PAGE_CACHE = "s-maxage=1, stale-while-revalidate=1";

/**
 * The home page has no data: it changes only with a deploy. A CDN may keep it a minute and serve
 * it a minute more while asking again, so a deploy shows within 2 minutes (not the year Next
 * would send for a static page, which would pin old HTML naming build files a deploy removed).
 */
export const HOME_CACHE = "s-maxage=60, stale-while-revalidate=60";

/** The pages Next serves to strangers from its cache (README, "Caching"), as Next path patterns. */
export const CACHED_PAGES: readonly string[] = [
  "/c/:slug",
  "/c/:slug/runs/:runId",
  "/embed/c/:slug",
  "/leaderboard",
  "/leaderboard/:path*",
  "/browse",
  "/browse/:path*",
];

interface HeaderRule {
  source: string;
  has?: { type: "header"; key: string; value: string }[];
  missing?: { type: "cookie"; key: string }[];
  headers: { key: string; value: string }[];
}

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/**
 * next.config.ts's `headers()`: the defaults on every path, then each FRAME_POLICIES override
 * (Next applies matching rules in order, a later value replacing an earlier one), then HSTS when
 * the request came over https (the web server sets x-forwarded-proto, see ./forwarded.ts), then
 * the shared-cache lifetimes of strangers' cached pages. A request in draft mode (a signed-in
 * browser) is left out, so Next's `private, no-cache, no-store` for it stands: Next sets its own
 * Cache-Control only where none is set yet.
 */
export function headerRules(development: boolean, connect: readonly string[] = []): HeaderRule[] {
  return [
    { source: "/:path*", headers: asList(securityHeaders("none", development, connect)) },
    ...FRAME_POLICIES.map(({ source, frames }) => ({
      source,
      headers: [{ key: "Content-Security-Policy", value: contentSecurityPolicy(frames, development, connect) }],
    })),
    {
      source: "/:path*",
      has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
      headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
    },
    ...[...CACHED_PAGES.map((source) => ({ source, value: PUBLIC_PAGE_CACHE })), { source: "/", value: HOME_CACHE }].map(
      ({ source, value }) => ({
        source,
        missing: [{ type: "cookie" as const, key: BYPASS_COOKIE }],
        headers: [{ key: "Cache-Control", value }],
      }),
    ),
  ];
}

/** Per-user answers (tRPC, auth) must never be stored by a browser or shared cache. */
export const NO_STORE = "private, no-store";

/** `response` with Cache-Control: private, no-store (a copy: some responses' headers are immutable). */
export function noStore(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Cache-Control", NO_STORE);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
