/**
 * The secret that signs session cookies. Production needs a stable one: BETTER_AUTH_SECRET when
 * set, otherwise one generated on first start and kept (mode 0600) in the data directory, so
 * `npm start` works without setup and sessions survive restarts.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Env } from "../../env";

/** Fixed and public: only for development and tests, never used in production. */
const DEVELOPMENT_SECRET = "lrlab-development-secret-do-not-use-in-production";

export function resolveAuthSecret(env: Pick<Env, "NODE_ENV" | "BETTER_AUTH_SECRET" | "LRLAB_DATA_DIR">): string {
  if (env.BETTER_AUTH_SECRET) {
    if (env.NODE_ENV === "production" && env.BETTER_AUTH_SECRET.length < 32)
      throw new Error("BETTER_AUTH_SECRET: must be at least 32 characters in production");
    return env.BETTER_AUTH_SECRET;
  }
  if (env.NODE_ENV !== "production") return DEVELOPMENT_SECRET;
  const file = path.resolve(env.LRLAB_DATA_DIR, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  try {
    // "wx": if another process wrote it first, keep theirs.
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return fs.readFileSync(file, "utf8").trim();
  }
}
