/**
 * The response header policy, in one place: security headers on every response (next.config.ts
 * turns `headerRules()` into Next's header rules) and `Cache-Control: private, no-store` for
 * per-user API answers (tRPC, auth), which the route handlers apply with `noStore`. Pages get no
 * Cache-Control from here: how a page is cached is the page's business.
 */

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

interface HeaderRule {
  source: string;
  has?: { type: "header"; key: string; value: string }[];
  headers: { key: string; value: string }[];
}

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/**
 * next.config.ts's `headers()`: the defaults on every path, then each FRAME_POLICIES override
 * (Next applies matching rules in order, a later value replacing an earlier one), then HSTS when
 * the request came over https (the web server sets x-forwarded-proto, see ./forwarded.ts).
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
