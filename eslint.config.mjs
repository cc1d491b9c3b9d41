// Typed lint for the whole repository, plus the layering the README promises:
// training/ ← db/ ← server/ ← app/, and client components import nothing server-only.
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

const reactAndNext = ["react", "react-dom", "react/*", "react-dom/*", "next", "next/*", "@trpc/tanstack-react-query", "@tanstack/*"];
const databaseDrivers = ["pg", "@electric-sql/*", "drizzle-orm", "drizzle-orm/*", "better-auth", "better-auth/*"];

export default defineConfig(
  globalIgnores(["node_modules/", ".next/", ".data/", "out/", "coverage/", "next-env.d.ts", "db/migrations/"]),
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".mjs", ".json"] })],
      "import-x/ignore": ["node_modules"],
    },
    rules: {
      // Numbers and booleans in template strings are deliberate everywhere in messages.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true, allowArray: true }],
      // `!` after an index lookup is the idiom noUncheckedIndexedAccess asks for.
      "@typescript-eslint/no-non-null-assertion": "off",
      // `onClick={() => setOpen(false)}` is the React idiom; the rule would forbid it.
      "@typescript-eslint/no-confusing-void-expression": "off",
      // tfjs's and the DOM's typings call values non-nullable that can be absent at run time
      // (getKernel for an unregistered kernel, navigator.clipboard over http): those guards stay.
      "@typescript-eslint/no-unnecessary-condition": "off",
      // Stubs and adapters implement Promise-returning interfaces without awaiting anything.
      "@typescript-eslint/require-await": "off",
      // Form state keeps optional fields as keys of plain records; deleting one is the intent.
      "@typescript-eslint/no-dynamic-delete": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "import-x/no-self-import": "error",
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./training",
              from: ["./db", "./server", "./app", "./trpc", "./env.ts"],
              message: "training/ is plain TypeScript below every other layer.",
            },
            {
              target: "./lib",
              from: ["./db", "./server", "./app", "./trpc", "./env.ts"],
              message: "lib/ is browser-safe and sits below db/, server/ and app/.",
            },
            { target: "./db", from: ["./server", "./app", "./trpc"], message: "db/ imports nothing above it." },
            { target: "./server", from: ["./app"], message: "server/ must not import the web app." },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON bodies and parsed files as they come, and guard fixtures that setup may not have made.
    files: ["tests/**", "**/*.test.ts", "**/*.e2e.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // tfjs's generic ops take their tensor rank from an assertion (`tf.sum(x) as tf.Scalar`), as its docs do.
    // The rule cannot tell those apart from real redundant assertions, so it is off where tfjs code lives.
    files: ["training/backend/**", "training/model/**", "training/trainer/**", "training/optimizers/**", "training/race/**", "bench/**"],
    rules: { "@typescript-eslint/no-unnecessary-type-assertion": "off" },
  },
  {
    files: ["training/**", "lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...reactAndNext, ...databaseDrivers, "server-only"],
              message: "training/ and lib/ run in the browser, the worker and tests: no React, Next or database code.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["db/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: reactAndNext, message: "db/ is below the web app." }] }],
    },
  },
  {
    files: ["app/**/*.tsx", "app/**/*.ts"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      // The classic hook rules; the React Compiler's rules wait until the compiler is adopted.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      ...nextPlugin.configs.recommended.rules,
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
