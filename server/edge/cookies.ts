/** Cookie names the proxy and the auth routes agree on (better-auth's defaults, Next's draft-mode cookie). */
export const SESSION_COOKIES = ["better-auth.session_token", "__Secure-better-auth.session_token"] as const;
export const BYPASS_COOKIE = "__prerender_bypass";
/** Set by /api/viewer: it has been tried once for this browser (see there). */
export const VIEWER_TRIED_COOKIE = "lrlab.viewer";

/** Whether a Set-Cookie header starts a session (a token with a value) or ends one (emptied or expired). */
export function sessionChange(setCookies: string[]): "started" | "ended" | null {
  for (const header of setCookies) {
    const [pair = "", ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    if (!(SESSION_COOKIES as readonly string[]).includes(name)) continue;
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
    return value === "" || expired ? "ended" : "started";
  }
  return null;
}
