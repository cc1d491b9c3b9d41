/**
 * Client components ("use client") run in the browser: nothing they import, directly or through
 * other modules, may be server-only. Walks each client module's value imports (type-only imports
 * are erased) and fails on db/, server/, env.ts, `server-only`, database drivers and Node built-ins.
 * ESLint's path zones cannot see this, because a file's layer here depends on its directive.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const forbiddenDirs = ["db", "server"].map((d) => join(root, d) + "/");
const forbiddenFiles = new Set([join(root, "env.ts")]);
const forbiddenPackages = [
  "server-only",
  "pg",
  "@electric-sql/pglite",
  "drizzle-orm",
  "better-auth/node",
  "@tensorflow/tfjs-node",
  "@tensorflow/tfjs-node-gpu",
];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

/** Value imports and re-exports (not `import type` / `export type`). */
function valueImports(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/g;
  for (const m of source.matchAll(re)) specs.push(m[1]!);
  for (const m of source.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1]!);
  return specs;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("~/") ? join(root, spec.slice(2)) : resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function problemsFrom(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(readFileSync(file, "utf8"))) {
      const via = [...chain, relative(root, file)];
      if (spec.startsWith(".") || spec.startsWith("~/")) {
        const target = resolveLocal(file, spec);
        if (!target) continue;
        if (forbiddenFiles.has(target) || forbiddenDirs.some((d) => target.startsWith(d))) {
          problems.push(`${via.join(" → ")} → ${relative(root, target)}`);
          continue;
        }
        walk(target, via);
      } else if (builtins.has(spec) || forbiddenPackages.some((p) => spec === p || spec.startsWith(`${p}/`))) {
        problems.push(`${via.join(" → ")} → ${spec}`);
      }
    }
  };
  walk(entry, []);
  return problems;
}

const clientModules = [...files(join(root, "app"))].filter((f) => /^\s*["']use client["']/.test(readFileSync(f, "utf8")));
const problems = clientModules.flatMap(problemsFrom);
if (problems.length > 0) {
  console.error(`Client components reach server-only code (${problems.length}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`client graph: ${clientModules.length} client modules import nothing server-only`);
