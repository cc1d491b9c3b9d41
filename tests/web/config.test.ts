import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../env";
import { limitsFromEnv } from "../../server/api/limits";
import { comparisonMetaSchema } from "../../lib/schemas";
import { newSlug } from "../../server/api/slug";
import { resolveAuthSecret } from "../../server/auth/secret";

describe("env", () => {
  it("has sensible quota defaults", () => {
    expect(limitsFromEnv(parseEnv({}))).toEqual({ maxQueuedRuns: 50, maxEpochs: 200, maxRunsPerComparison: 32 });
  });

  it("reads quotas from the environment", () => {
    expect(limitsFromEnv(parseEnv({ LRLAB_MAX_QUEUED_RUNS: "5", LRLAB_MAX_EPOCHS: " 12 " }))).toMatchObject({
      maxQueuedRuns: 5,
      maxEpochs: 12,
    });
  });

  it("names every bad variable", () => {
    expect(() => parseEnv({ LRLAB_MAX_EPOCHS: "lots", BETTER_AUTH_URL: "not a url", NODE_ENV: "staging" })).toThrow(
      [
        "invalid environment:",
        "  NODE_ENV: must be development, test or production",
        "  BETTER_AUTH_URL: must be a URL",
        "  LRLAB_MAX_EPOCHS: must be an integer between 1 and 1000, got 'lots'",
      ].join("\n"),
    );
  });
});

describe("stateless web tier", () => {
  it("refuses to start in production with a database server but no auth secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/lrlab" })).toThrow(
      "invalid environment:\n  BETTER_AUTH_SECRET: is required in production with DATABASE_URL",
    );
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/lrlab", BETTER_AUTH_SECRET: "s".repeat(32) }).DATABASE_URL).toBe(
      "postgres://db/lrlab",
    );
    // The embedded database keeps a generated secret next to itself; development needs none.
    expect(parseEnv({ NODE_ENV: "production" }).BETTER_AUTH_SECRET).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "development", DATABASE_URL: "postgres://db/lrlab" }).DATABASE_URL).toBe("postgres://db/lrlab");
  });
});

describe("auth secret", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-secret-"));

  it("uses BETTER_AUTH_SECRET, refusing a short one in production", () => {
    const secret = "x".repeat(40);
    expect(resolveAuthSecret({ NODE_ENV: "production", BETTER_AUTH_SECRET: secret, LRLAB_DATA_DIR: dir() })).toBe(secret);
    expect(() => resolveAuthSecret({ NODE_ENV: "production", BETTER_AUTH_SECRET: "short", LRLAB_DATA_DIR: dir() })).toThrow(/at least 32/);
  });

  it("generates one secret per data directory in production and keeps it private", () => {
    const data = dir();
    const first = resolveAuthSecret({ NODE_ENV: "production", BETTER_AUTH_SECRET: undefined, LRLAB_DATA_DIR: data });
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(resolveAuthSecret({ NODE_ENV: "production", BETTER_AUTH_SECRET: undefined, LRLAB_DATA_DIR: data })).toBe(first);
    expect(fs.statSync(path.join(data, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret({ NODE_ENV: "production", BETTER_AUTH_SECRET: undefined, LRLAB_DATA_DIR: dir() })).not.toBe(first);
  });
});

describe("schemas", () => {
  it("accepts the three visibilities and names the field for anything else", () => {
    for (const visibility of ["public", "unlisted", "private"]) {
      expect(comparisonMetaSchema.safeParse({ title: "t", description: "", visibility }).success).toBe(true);
    }
    const bad = comparisonMetaSchema.safeParse({ title: "t", description: "", visibility: "secret" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["visibility", "must be one of public, unlisted, private"],
    ]);
  });

  it("makes slugs of 10 base-62 characters that differ", () => {
    const slugs = Array.from({ length: 200 }, newSlug);
    expect(slugs.every((s) => /^[0-9A-Za-z]{10}$/.test(s))).toBe(true);
    expect(new Set(slugs).size).toBe(200);
  });
});
