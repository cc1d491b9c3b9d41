/**
 * The browser's better-auth client (the vanilla one: pages read the session on the server, so no
 * session hooks are needed). Loaded on demand, when the user signs in, up or out, so it is not
 * part of any page's first-load JavaScript.
 */
export async function authClient() {
  const { createAuthClient } = await import("better-auth/client");
  return (cached ??= createAuthClient());
}

let cached: ReturnType<typeof import("better-auth/client").createAuthClient> | undefined;
