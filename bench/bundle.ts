/**
 * `npm run bench -- bundle [--url URL --cookie COOKIE --slug SLUG --run RUN_ID]`: first-load
 * JavaScript per page, measured as the browser sees it: fetch the page's HTML, take every
 * `<script src>` it loads (module-less `nomodule` polyfills excluded), and sum their gzip sizes.
 * Without --url it builds nothing but starts the production build (`npm run build` first) on
 * a throwaway database, signs a user up and creates a comparison so every route has a page.
 * Exits 1 when a page is over its budget or any script mentions TensorFlow.js.
 */
import zlib from "node:zlib";
import { signUp, startStack, trpcMutation, type Stack } from "../tests/e2e/stack";

const KB = 1024;
/** The budgets: pages with charts get more room. */
const BUDGET = { plain: 150 * KB, chart: 220 * KB };

interface Route {
  path: string;
  label: string;
  chart: boolean;
  signedIn: boolean;
}

export interface PageSize {
  route: string;
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
  budget: number;
  tfjs: boolean;
}

/** Script URLs a page's HTML loads, in order, without duplicates. */
export function scriptSources(html: string): string[] {
  const out: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>/g)) {
    const attrs = match[1]!;
    if (/\bnomodule\b/i.test(attrs)) continue;
    const src = /\bsrc="([^"]+)"/.exec(attrs)?.[1];
    if (src && !out.includes(src)) out.push(src.replace(/&amp;/g, "&"));
  }
  return out;
}

/** Strings that survive minification of TensorFlow.js (tfjs-core's disposed-tensor error, package names). */
const TFJS_MARKERS = ["Tensor is disposed", "@tensorflow/tfjs", "tfjs-backend"];

export async function measurePage(
  base: string,
  route: Route,
  cookie: string | undefined,
  cache: Map<string, { raw: number; gzip: number; tfjs: boolean }>,
): Promise<PageSize> {
  const response = await fetch(`${base}${route.path}`, { headers: route.signedIn && cookie ? { cookie } : {}, redirect: "manual" });
  if (response.status !== 200) throw new Error(`${route.path}: HTTP ${response.status}`);
  const sources = scriptSources(await response.text());
  let rawBytes = 0;
  let gzipBytes = 0;
  let tfjs = false;
  for (const src of sources) {
    let entry = cache.get(src);
    if (!entry) {
      const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
      const text = body.toString("utf8");
      entry = { raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length, tfjs: TFJS_MARKERS.some((m) => text.includes(m)) };
      cache.set(src, entry);
    }
    rawBytes += entry.raw;
    gzipBytes += entry.gzip;
    tfjs ||= entry.tfjs;
  }
  return { route: route.label, scripts: sources.length, rawBytes, gzipBytes, budget: route.chart ? BUDGET.chart : BUDGET.plain, tfjs };
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const ROUTES = (slug: string, runId: string): Route[] => [
  { path: "/", label: "/", chart: false, signedIn: false },
  { path: "/browse", label: "/browse", chart: false, signedIn: false },
  { path: "/sign-in", label: "/sign-in", chart: false, signedIn: false },
  { path: "/sign-up", label: "/sign-up", chart: false, signedIn: false },
  { path: "/comparisons", label: "/comparisons (my comparisons)", chart: false, signedIn: true },
  { path: "/comparisons/new", label: "/comparisons/new (builder)", chart: true, signedIn: true },
  { path: `/c/${slug}`, label: "/c/[slug] (comparison)", chart: true, signedIn: false },
  { path: `/c/${slug}/edit`, label: "/c/[slug]/edit", chart: true, signedIn: true },
  { path: `/c/${slug}/runs/${runId}`, label: "/c/[slug]/runs/[runId]", chart: false, signedIn: false },
  { path: "/leaderboard", label: "/leaderboard", chart: true, signedIn: false },
  // The race loads TensorFlow.js by dynamic import once the page is up, as the previews do.
  { path: "/race", label: "/race", chart: true, signedIn: false },
  // The preview pages load TensorFlow.js on Start, by dynamic import: their first load has none.
  { path: `/c/${slug}/preview`, label: "/c/[slug]/preview", chart: true, signedIn: true },
  { path: "/preview", label: "/preview (from the builder)", chart: true, signedIn: true },
];

export async function main(args: string[]): Promise<void> {
  let stack: Stack | undefined;
  let base = option(args, "url");
  let cookie = option(args, "cookie");
  let slug = option(args, "slug");
  let runId = option(args, "run");
  try {
    if (!base) {
      stack = await startStack();
      base = stack.url;
      cookie = await signUp(base, "Bench", `bench-${Date.now()}@example.test`);
      const created = await trpcMutation<{ slug: string }>(
        base,
        "comparisons.create",
        {
          title: "Bundle bench",
          visibility: "public",
          runs: [{ config: { epochs: 2, batchSize: 32, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 } }, seeds: [0] }],
        },
        cookie,
      );
      slug = created.slug;
      const response = await fetch(`${base}/api/trpc/comparisons.bySlug?input=${encodeURIComponent(JSON.stringify({ json: { slug } }))}`);
      runId = ((await response.json()) as { result: { data: { json: { runs: { id: string }[] } } } }).result.data.json.runs[0]!.id;
    }
    if (!slug || !runId) throw new Error("with --url, also give --slug and --run (and --cookie for the signed-in pages)");
    const cache = new Map<string, { raw: number; gzip: number; tfjs: boolean }>();
    const sizes: PageSize[] = [];
    for (const route of ROUTES(slug, runId)) sizes.push(await measurePage(base, route, cookie, cache));

    const kb = (n: number) => `${(n / KB).toFixed(1)} kB`;
    const width = Math.max(...sizes.map((s) => s.route.length));
    process.stdout.write(`${"route".padEnd(width)}  scripts        raw       gzip     budget  ok\n`);
    let failed = false;
    for (const s of sizes) {
      const ok = s.gzipBytes <= s.budget && !s.tfjs;
      failed ||= !ok;
      process.stdout.write(
        `${s.route.padEnd(width)}  ${String(s.scripts).padStart(7)}  ${kb(s.rawBytes).padStart(9)}  ${kb(s.gzipBytes).padStart(9)}  ${kb(s.budget).padStart(9)}  ${ok ? "yes" : s.tfjs ? "NO (tfjs)" : "NO"}\n`,
      );
    }
    process.stdout.write("gzip: level 9, summed over every script the page's HTML loads (shared chunks counted on each page).\n");
    if (failed) process.exitCode = 1;
  } finally {
    await stack?.stop();
  }
}
