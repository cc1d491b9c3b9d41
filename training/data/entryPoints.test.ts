/** The browser preview bundles ./index, ../preview/session and ../preview/slices: nothing they reach may need Node. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const NODE_ONLY_PACKAGES = ["pngjs", "tar-stream", "jpeg-js"];

/** Every import specifier reachable from `entry` through relative imports. */
function reachableImports(entry: string): { files: Set<string>; specifiers: Set<string> } {
  const files = new Set<string>();
  const specifiers = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) {
      const spec = match[1]!;
      if (spec.startsWith(".")) visit(`${resolve(dirname(file), spec)}.ts`);
      else specifiers.add(spec);
    }
  };
  visit(entry);
  return { files, specifiers };
}

describe("entry points", () => {
  it("index.ts and the browser preview's session and slice reader reach no Node built-ins or Node-only packages", () => {
    const browserEntries = [resolve(here, "../preview/session.ts"), resolve(here, "../preview/slices.ts")];
    for (const entry of [resolve(here, "index.ts"), ...browserEntries]) {
      const { specifiers } = reachableImports(entry);
      expect([...specifiers].filter((s) => s.startsWith("node:") || NODE_ONLY_PACKAGES.includes(s))).toEqual([]);
    }
    // The preview reaches the data pipeline's batching and slice format, so the check above covers them.
    const reached = new Set(browserEntries.flatMap((entry) => [...reachableImports(entry).files]));
    expect(reached.has(resolve(here, "batches.ts"))).toBe(true);
    expect(reached.has(resolve(here, "sliceFormat.ts"))).toBe(true);
  });

  it("node.ts does reach the Node-only modules (so the check above can see them)", () => {
    const { specifiers } = reachableImports(resolve(here, "node.ts"));
    expect(specifiers.has("node:fs/promises")).toBe(true);
    expect(specifiers.has("tar-stream")).toBe(true);
  });
});
