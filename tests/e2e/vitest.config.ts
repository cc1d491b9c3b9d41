import { defineConfig } from "vitest/config";

// End-to-end tests: `npm run test:e2e` (builds first); `npm test` runs them after the main suite.
// Their .e2e.ts names keep them out of the main vitest config.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
    // The worker trains on the prepared CIFAR-10 cache.
    globalSetup: ["tests/setup/cifar10.ts"],
  },
});
