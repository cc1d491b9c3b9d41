/**
 * `npm run bench -- browser [--train 128] [--batch 32] [--model keras-cifar10-cnn] [--backends webgl,cpu]`:
 * images/s of the browser preview's training step in headless Chromium (Debian's, through
 * playwright-core), on the WebGL backend and on the cpu backend, in the same run, side by side.
 *
 * The page is the preview's own driver (training/preview/session.ts, bundled with esbuild) fed
 * by the real slice endpoint (app/api/cifar/route.ts) on a throwaway local server. Each backend
 * runs in a fresh page: the first preview epoch warms up (shader compiles), the second is timed
 * (the trainer's own imagesPerSec: train batches only, evaluation excluded). The Chromium flags
 * that give WebGL in headless mode and the renderer the page reported are printed with it.
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";
import { GET as sliceHandler } from "../app/api/cifar/route";
import { browserFlags, launchBrowser } from "../tests/e2e/browser";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const ENTRY = `
import { runPreview, startBackend, webglRenderer } from "./training/preview/session";
import { fetchSplit } from "./training/preview/slices";
import { previewConfig } from "./training/preview/config";
import { parseRunConfig } from "./training/config";
window.benchPreview = async (opts) => {
  const backend = await startBackend(opts.backend);
  const train = await fetchSplit({ split: "train", count: opts.train });
  const test = await fetchSplit({ split: "test", count: opts.test });
  const base = parseRunConfig({ model: opts.model, epochs: 2, batchSize: opts.batch, optimizer: { kind: "sgd", momentum: 0.9 }, schedule: { kind: "constant", lr: 0.01 } });
  const config = previewConfig(base, { trainLimit: opts.train, testLimit: opts.test, epochs: 2 });
  const result = await runPreview({ config, train, test });
  return { backend: backend.detail, renderer: backend.name === "webgl" ? webglRenderer() : null, outcome: result.outcome, epochs: result.epochs };
};
`;

interface BenchResult {
  backend: string;
  renderer: string | null;
  warmImagesPerSec: number;
  firstEpochImagesPerSec: number;
  epochSeconds: number;
}

async function bundle(): Promise<string> {
  const out = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    minify: true,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

async function serve(script: string): Promise<{ url: string; close(): Promise<void> }> {
  const sendSlice = async (url: URL, res: http.ServerResponse) => {
    const response = await sliceHandler(new Request(url));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/api/cifar") {
      sendSlice(url, res).catch((error: unknown) => res.destroy(error as Error));
    } else if (url.pathname === "/bench.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(script);
    } else {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>preview bench</title><script type="module" src="/bench.js"></script>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      train: { type: "string", default: "128" },
      test: { type: "string", default: "64" },
      batch: { type: "string", default: "32" },
      model: { type: "string", default: "keras-cifar10-cnn" },
      backends: { type: "string", default: "webgl,cpu" },
    },
  });
  const opts = { train: Number(values.train), test: Number(values.test), batch: Number(values.batch), model: values.model };
  const server = await serve(await bundle());
  const browser = await launchBrowser({ webgl: true });
  const results: BenchResult[] = [];
  try {
    for (const backend of values.backends.split(",")) {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => "benchPreview" in window);
      const out = await page.evaluate(
        (o) =>
          (
            window as unknown as {
              benchPreview(o: unknown): Promise<{
                backend: string;
                renderer: string | null;
                outcome: string;
                epochs: { imagesPerSec: number; seconds: number }[];
              }>;
            }
          ).benchPreview(o),
        { ...opts, backend },
      );
      await page.close();
      if (out.outcome !== "succeeded") throw new Error(`${backend}: preview ended ${out.outcome}`);
      results.push({
        backend: out.backend,
        renderer: out.renderer,
        firstEpochImagesPerSec: out.epochs[0]!.imagesPerSec,
        warmImagesPerSec: out.epochs[1]!.imagesPerSec,
        epochSeconds: out.epochs[1]!.seconds,
      });
      process.stderr.write(`${out.backend}: ${out.epochs[1]!.imagesPerSec.toFixed(1)} images/s\n`);
    }
    const version = browser.version();
    process.stdout.write(
      `Browser preview training step: ${opts.model}, batch ${opts.batch}, ${opts.train} train images per epoch (epoch 2 timed, epoch 1 = warm-up)\n` +
        `Chromium ${version}, headless, flags: ${browserFlags({ webgl: true }).join(" ")}\n\n`,
    );
    const width = Math.max(...results.map((r) => r.backend.length), 7);
    process.stdout.write(`${"backend".padEnd(width)}  images/s (warm)  images/s (epoch 1)  epoch s\n`);
    for (const r of results) {
      process.stdout.write(
        `${r.backend.padEnd(width)}  ${r.warmImagesPerSec.toFixed(1).padStart(15)}  ${r.firstEpochImagesPerSec.toFixed(1).padStart(18)}  ${r.epochSeconds.toFixed(1).padStart(7)}\n`,
      );
    }
    const gl = results.find((r) => r.backend.startsWith("webgl"));
    const cpu = results.find((r) => r.backend.startsWith("cpu"));
    if (gl && cpu) process.stdout.write(`\nwebgl ÷ cpu: ${(gl.warmImagesPerSec / cpu.warmImagesPerSec).toFixed(2)}×\n`);
    if (gl) process.stdout.write(`WebGL renderer: ${gl.renderer ?? "unknown"}\n`);
    if (!gl && values.backends.includes("webgl")) process.stdout.write("WebGL was not available with these flags.\n");
  } finally {
    await browser.close();
    await server.close();
  }
}
