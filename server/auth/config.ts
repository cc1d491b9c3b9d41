/**
 * better-auth over the app's database: email + password, sessions in the `session` table,
 * GitHub sign-in when both GitHub variables are set. A factory so tests can pass their own db.
 */
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { authSchema } from "../../db/schema";
import type { Db } from "../../db/client";
import type { Env } from "../../env";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../lib/auth/policy";
import { checkedName } from "./names";
import { resolveAuthSecret } from "./secret";

export function createAuth(db: Db, env: Env) {
  const github =
    env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET
      ? { github: { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET } }
      : {};
  return betterAuth({
    appName: "LR Lab",
    secret: resolveAuthSecret(env),
    ...(env.BETTER_AUTH_URL ? { baseURL: env.BETTER_AUTH_URL } : {}),
    // Sign-up writes a user and an account row; a transaction keeps it all-or-nothing.
    database: drizzleAdapter(db, { provider: "pg", schema: authSchema, transaction: true }),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: MAX_PASSWORD_LENGTH, autoSignIn: true },
    socialProviders: github,
    databaseHooks: {
      user: {
        // Sync throws reject the awaited hook: better-auth answers with the APIError's 400.
        create: { before: (user) => Promise.resolve({ data: { ...user, name: checkedName(user.name) } }) },
        update: { before: (user) => Promise.resolve({ data: user.name === undefined ? user : { ...user, name: checkedName(user.name) } }) },
      },
    },
    // Sign-in and sign-up attempts are limited per client address in production. The web server
    // (server/http/main.ts) makes X-Forwarded-For that one address, whatever the client sent.
    rateLimit: { enabled: env.NODE_ENV === "production" },
    advanced: {
      // Secure (and __Secure- prefixed) cookies in production and whenever the site is https.
      useSecureCookies: env.BETTER_AUTH_URL ? env.BETTER_AUTH_URL.startsWith("https://") : env.NODE_ENV === "production",
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

/** Whether the sign-in page should offer GitHub. */
export function githubEnabled(env: Pick<Env, "GITHUB_CLIENT_ID" | "GITHUB_CLIENT_SECRET">): boolean {
  return Boolean(env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET);
}
