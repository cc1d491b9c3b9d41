import type { NextConfig } from "next";

// Validate the environment when the app builds or starts, not at the first request.
import "./env";

const config: NextConfig = {
  // The database drivers load WebAssembly and native sockets at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
};

export default config;
