import type { NextConfig } from "next";

// Validate the environment when the app builds or starts, not at the first request.
import { env } from "./env";
import { headerRules } from "./server/http/headers";

const config: NextConfig = {
  // The database drivers load WebAssembly and native sockets at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Next hashes every page body in JavaScript (FNV-1a) for an ETag on each request, cache hits
  // included: most of a cached comparison page's cost (bench/web.ts). Pages are fresh for a second
  // at most, so a 304 would rarely save a browser anything; build assets keep their own ETags.
  generateEtags: false,
  // The cached listings without a query string: the proxy rewrites only those with one (proxy.ts),
  // so a stranger's bare `/leaderboard` or `/browse` never runs it.
  rewrites: () =>
    Promise.resolve({
      beforeFiles: [
        { source: "/leaderboard", destination: "/leaderboard/q/_" },
        { source: "/browse", destination: "/browse/q/_" },
      ],
      afterFiles: [],
      fallback: [],
    }),
  // A stateless web tier (README, "Deploy"): `node .next/standalone/server.js` runs from a read-only
  // directory, and Next keeps its page cache in memory instead of writing it under .next.
  output: "standalone",
  experimental: { isrFlushToDisk: false },
  // Security headers on every response (server/http/headers.ts holds the policy; embeds are framable by any site).
  // Next fixes them at build time, so LRLAB_DATASET_URL must be set when building for the preview to reach it.
  headers: () =>
    Promise.resolve(
      headerRules(process.env.NODE_ENV !== "production", env.LRLAB_DATASET_URL ? [new URL(env.LRLAB_DATASET_URL).origin] : []),
    ),
};

export default config;
