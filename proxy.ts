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

// Not for API routes, build assets or public files: they need neither step.
export const config = {
  matcher: ["/((?!api/|_next/|favicon\\.ico|icon|apple-touch-icon|manifest\\.webmanifest|robots\\.txt|sitemap\\.xml).*)"],
};
