import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["training/**/*.test.ts", "lib/**/*.test.ts", "server/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // tfjs backends are process-global; separate forks keep test files independent.
    pool: "forks",
    globalSetup: ["tests/setup/cifar10.ts"],
  },
});
