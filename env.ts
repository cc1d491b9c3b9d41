/**
 * The web app's environment, validated once with zod (create-t3-app style). Every value has a
 * safe default except the auth secret in production, which server/auth/secret.ts resolves.
 * Import only from server code: nothing here is meant for the browser.
 */
import { z } from "zod";
import { parseTrustedProxies } from "./server/http/forwarded";
import { integerFromEnv } from "./training/validation";

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

/** An integer in [min, max] from a string (positive by default), with a named message when it is not one. */
const positiveInt = (fallback: number, max: number, min = 1) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      const value = integerFromEnv(raw, fallback, min, max);
      if (typeof value === "number") return value;
      ctx.addIssue({ code: "custom", message: value.error });
      return z.NEVER;
    });

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"], { error: "must be development, test or production" }).default("development"),
    /** Signs session cookies; required in production (server/auth/secret.ts persists one when unset). */
    BETTER_AUTH_SECRET: optionalText,
    /** The public origin, e.g. https://lrlab.example; inferred from the request when unset. */
    BETTER_AUTH_URL: z
      .url("must be a URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** GitHub sign-in is offered only when both are set. */
    GITHUB_CLIENT_ID: optionalText,
    GITHUB_CLIENT_SECRET: optionalText,
    /** Queued (not yet started) runs one user may have at once. */
    LRLAB_MAX_QUEUED_RUNS: positiveInt(50, 100_000),
    /** Epoch limit per run for runs submitted through the web app. */
    LRLAB_MAX_EPOCHS: positiveInt(200, 1000),
    /** Runs (seeds included) in one comparison. */
    LRLAB_MAX_RUNS_PER_COMPARISON: positiveInt(32, 1000),
    /**
     * Reverse proxies (IP addresses or CIDR ranges, comma-separated) whose X-Forwarded-For and
     * X-Forwarded-Proto the web server believes; none by default, so clients cannot choose their address.
     */
    LRLAB_TRUSTED_PROXIES: z
      .string()
      .trim()
      .default("")
      .superRefine((text, ctx) => {
        try {
          parseTrustedProxies(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    /**
     * How often (ms) the server reads the page change feed and expires changed cached pages
     * (server/edge/invalidate.ts); 0: never on a timer, only after the web app's own mutations.
     */
    LRLAB_PAGE_SYNC_MS: positiveInt(1000, 60_000, 0),
    /** Where a generated auth secret is kept when none is configured. */
    LRLAB_DATA_DIR: z.string().trim().default(".data"),
    /**
     * Base URL of a slice set written by `lrlab data export-slices` (e.g. on a CDN); the browser
     * preview reads CIFAR-10 from there instead of /api/cifar and the local cache.
     */
    LRLAB_DATASET_URL: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL (where `lrlab data export-slices` output is served)" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** A Postgres server; unset means the embedded database (db/config.ts reads it too). */
    DATABASE_URL: optionalText,
  })
  .superRefine((env, ctx) => {
    // With a database server the web tier is meant to be stateless (many short-lived instances, a
    // read-only disk): a secret generated into one instance's data directory would sign sessions
    // no other instance accepts.
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.BETTER_AUTH_SECRET)
      ctx.addIssue({
        code: "custom",
        path: ["BETTER_AUTH_SECRET"],
        message: "is required in production with DATABASE_URL (every instance must sign sessions with the same secret)",
      });
  });

export type Env = z.output<typeof envSchema>;

/** Parses `source`; throws one message naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid environment:\n${lines.join("\n")}`);
}

export const env: Env = parseEnv(process.env);
