/** The app's better-auth instance, created on first use over the shared connection. */
import { env } from "../../env";
import { getDb } from "../api/db";
import { createAuth, type Auth, type AuthSession } from "./config";

const holder = globalThis as unknown as { lrlabAuth?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  holder.lrlabAuth ??= getDb()
    .then((db) => createAuth(db, env))
    .catch((error: unknown) => {
      holder.lrlabAuth = undefined;
      throw error;
    });
  return holder.lrlabAuth;
}

/** The signed-in session for a request's headers, or null. */
export async function getSession(headers: Headers): Promise<AuthSession | null> {
  const auth = await getAuth();
  return auth.api.getSession({ headers });
}
