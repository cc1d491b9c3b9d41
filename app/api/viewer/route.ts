/**
 * Turns draft mode on for a browser whose session is valid (see server/edge/viewer.ts), or drops
 * a session cookie that no longer is, then goes back to `next`. The proxy sends a signed-in
 * browser here when its draft-mode cookie is missing.
 */
import { cookies, draftMode } from "next/headers";
import { redirect } from "next/navigation";
import { getSession } from "../../../server/auth";
import { safeNext } from "../../../server/auth/next";
import { SESSION_COOKIES, VIEWER_TRIED_COOKIE } from "../../../server/edge/cookies";

export async function GET(request: Request): Promise<never> {
  const next = safeNext(new URL(request.url).searchParams.get("next") ?? undefined);
  const jar = await cookies();
  if (await getSession(request.headers)) (await draftMode()).enable();
  else for (const name of SESSION_COOKIES) jar.delete(name);
  // Where the browser refuses the draft-mode cookie (it is Secure: plain http off localhost), the
  // proxy must not send it here again and again.
  jar.set(VIEWER_TRIED_COOKIE, "1", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 3600 });
  redirect(next);
}
