/** Chart export as PNG in Chromium: the standalone SVG renders on a canvas with its lines where the SVG puts them. */
import { build } from "esbuild";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standaloneSvg } from "../../app/_components/charts/exportChart";
import { LineChart } from "../../app/_components/charts/LineChart";
import { launchBrowser } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("chart PNG export", () => {
  it("draws the SVG's line at the SVG's coordinates, at twice the size", async () => {
    const series = [{ key: "a", label: "SGD", color: "#ff0000", x: [1, 2, 3], y: [0.2, 0.5, 0.8] }];
    const markup = renderToStaticMarkup(createElement(LineChart, { title: "Accuracy", series, xLabel: "epoch" }));
    const file = standaloneSvg(/<svg[\s\S]*<\/svg>/.exec(markup)![0], "Accuracy", series);
    // The middle point of the line, in the file's coordinates (the chart sits 24 px below the title).
    const [x, y] = /data-series="SGD" d="M[\d.]+,[\d.]+L([\d.]+),([\d.]+)/.exec(file)!.slice(1).map(Number);
    const bundle = await build({
      entryPoints: ["app/_components/charts/exportChart.ts"],
      bundle: true,
      format: "iife",
      globalName: "chartExport",
      write: false,
    });
    const page = await browser.newPage();
    await page.setContent("<html><body></body></html>");
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const result = await page.evaluate(
      async ({ svg, px, py }) => {
        const api = (globalThis as unknown as { chartExport: typeof import("../../app/_components/charts/exportChart") }).chartExport;
        const png = await api.svgToPng(svg, 2);
        const bitmap = await createImageBitmap(png);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d")!;
        context.drawImage(bitmap, 0, 0);
        const at = (u: number, v: number) => [...context.getImageData(Math.round(u * 2), Math.round(v * 2), 1, 1).data];
        const signature = [...new Uint8Array(await png.slice(0, 4).arrayBuffer())];
        return { type: png.type, width: bitmap.width, height: bitmap.height, line: at(px, py + 24), corner: at(2, 2), signature };
      },
      { svg: file, px: x!, py: y! },
    );
    expect(result.type).toBe("image/png");
    expect(result.signature).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(result.width).toBe(2 * 720);
    expect(result.height).toBe(2 * (260 + 24 + 18 + 8));
    expect(result.corner).toEqual([255, 255, 255, 255]);
    // The red line passes through its point.
    expect(result.line[0]).toBeGreaterThan(200);
    expect(result.line[1]).toBeLessThan(80);
  });
});
