import type { NextConfig } from "next";

// Validate the environment when the app builds or starts, not at the first request.
import "./env";
import { headerRules } from "./server/http/headers";

const config: NextConfig = {
  // The database drivers load WebAssembly and native sockets at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Security headers on every response (server/http/headers.ts holds the policy and its per-path hook).
  headers: () => Promise.resolve(headerRules(process.env.NODE_ENV !== "production")),
};

export default config;
