import { defineConfig } from "vitest/config";

/**
 * `npm run test:unit`: the fast tier for daily work — pure modules (schedules, expressions,
 * optimizers, configs, statistics, web view models) that need no CIFAR-10 cache, database or
 * browser. `npm test` runs everything, these included.
 */
export default defineConfig({
  test: {
    include: [
      "training/schedules/**/*.test.ts",
      "training/expression/**/*.test.ts",
      "training/optimizers/**/*.test.ts",
      "training/*.test.ts",
      "tests/leaderboard/stats.test.ts",
      "lib/**/*.test.ts",
      "tests/web/series.test.ts",
      "tests/web/config.test.ts",
      "tests/preview/sessionState.test.ts",
    ],
    testTimeout: 30_000,
  },
});
