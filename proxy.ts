/**
 * Before routing: (1) a browser with a session but without the draft-mode cookie (a browser
 * restarted since sign-in) is sent once through /api/viewer, which sets it, so its owner never
 * gets a stranger's cached page; (2) the query variants of the cached listings are rewritten to
 * their path form (server/edge/publicQuery.ts).
 */
import { NextResponse, type NextRequest } from "next/server";
import { BYPASS_COOKIE, SESSION_COOKIES, VIEWER_TRIED_COOKIE } from "./server/edge/cookies";
import { listingRewrite } from "./server/edge/publicQuery";

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
  // Only a browser's document loads: a client-side navigation (RSC request) cannot follow a redirect
  // to a route handler, and a client without a cookie jar (scripts, tests) would be sent round forever.
  if (
    signedIn &&
    !request.cookies.has(BYPASS_COOKIE) &&
    !request.cookies.has(VIEWER_TRIED_COOKIE) &&
    request.headers.get("sec-fetch-mode") === "navigate" &&
    !request.headers.has("rsc")
  ) {
    const viewer = new URL("/api/viewer", request.url);
    viewer.searchParams.set("next", pathname + request.nextUrl.search);
    return NextResponse.redirect(viewer);
  }
  const rewrite = listingRewrite(pathname, searchParams);
  return rewrite ? NextResponse.rewrite(new URL(rewrite, request.url)) : NextResponse.next();
}

/**
 * When the proxy runs at all: it costs every request it sees (Next builds a request object and
 * runs it), so a stranger's cached page must not pass through it. Only (1) a listing with a query
 * parameter it knows (the bare `/leaderboard` and `/browse` are rewritten by next.config.ts
 * without it), and (2) a page load carrying a session cookie but neither the draft-mode cookie nor
 * the tried-once marker. Never API routes, build assets or public files. Next reads this
 * statically: literals only; the parameter names are publicQuery.ts's `LISTING_PARAMS`, the cookie names
 * cookies.ts's (tests/web/edge.test.ts checks both).
 */
export const config = {
  matcher: [
    { source: "/leaderboard", has: [{ type: "query", key: "sort" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "dir" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "target" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "optimizer" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "scheduleKind" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "model" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "epochs" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "q" }] },
    { source: "/leaderboard", has: [{ type: "query", key: "page" }] },
    { source: "/browse", has: [{ type: "query", key: "page" }] },
    {
      source: "/((?!api/|_next/|favicon\\.ico|icon|apple-touch-icon|manifest\\.webmanifest|robots\\.txt|sitemap\\.xml).*)",
      has: [{ type: "cookie", key: "better-auth.session_token" }],
      missing: [
        { type: "cookie", key: "__prerender_bypass" },
        { type: "cookie", key: "lrlab.viewer" },
      ],
    },
    {
      source: "/((?!api/|_next/|favicon\\.ico|icon|apple-touch-icon|manifest\\.webmanifest|robots\\.txt|sitemap\\.xml).*)",
      has: [{ type: "cookie", key: "__Secure-better-auth.session_token" }],
      missing: [
        { type: "cookie", key: "__prerender_bypass" },
        { type: "cookie", key: "lrlab.viewer" },
      ],
    },
  ],
};
