/** The signed-in user for server components and pages (null when signed out). */
import { headers } from "next/headers";
import { getSession } from "./index";

export async function currentUser(): Promise<{ id: string; name: string; email: string } | null> {
  const session = await getSession(new Headers(await headers()));
  return session ? { id: session.user.id, name: session.user.name, email: session.user.email } : null;
}
