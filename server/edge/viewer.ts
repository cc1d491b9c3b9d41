/**
 * Who gets cached pages. Strangers get the public pages from Next's cache (rendered once for
 * nobody in particular); a signed-in browser carries Next's draft-mode cookie as well as its
 * session, and draft mode makes Next skip its cache and render per request with
 * `Cache-Control: private, no-cache, no-store`. So pages read the session only in draft mode,
 * and nothing personal is ever rendered into a cached page.
 */
import "server-only";
import { draftMode, headers } from "next/headers";
import { currentUser } from "../auth/session";

/** The request's headers when it may be personal (draft mode); empty headers (a stranger) otherwise. */
export async function viewerHeaders(): Promise<Headers> {
  return (await draftMode()).isEnabled ? new Headers(await headers()) : new Headers();
}

/** The signed-in user in draft mode; null for a stranger and in every cached render. */
export async function viewerUser(): Promise<{ id: string; name: string; email: string } | null> {
  return (await draftMode()).isEnabled ? currentUser() : null;
}
