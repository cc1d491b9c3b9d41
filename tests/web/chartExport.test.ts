/** Chart export: the standalone SVG holds the plotted paths, the title and the legend. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { standaloneSvg } from "../../app/_components/charts/exportChart";
import { LineChart, type ChartSeries } from "../../app/_components/charts/LineChart";

const series: ChartSeries[] = [
  {
    key: "a",
    label: "SGD & momentum (2 seeds)",
    color: "#1f77b4",
    x: [1, 2, 3],
    y: [0.2, 0.5, 0.8],
    lo: [0.1, 0.4, 0.7],
    hi: [0.3, 0.6, 0.9],
  },
  { key: "b", label: "Adam", color: "#ff7f0e", x: [1, 2], y: [0.6, 0.4] },
];

/** The `d` of every path drawing a line (not a band), in order. */
const linePaths = (svg: string) => [...svg.matchAll(/<path data-series="[^"]*" d="([^"]*)"/g)].map((m) => m[1]!);
const points = (d: string) => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe("chart export", () => {
  const markup = renderToStaticMarkup(createElement(LineChart, { title: "Validation accuracy", series, xLabel: "epoch" }));
  const svg = /<svg[\s\S]*<\/svg>/.exec(markup)![0];
  const file = standaloneSvg(svg, "Validation accuracy", series);

  it("is a standalone SVG document with the title and every legend entry", () => {
    expect(file.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(file).toContain(">Validation accuracy</text>");
    expect(file).toContain(">SGD &amp; momentum (2 seeds)</text>");
    expect(file).toContain(">Adam</text>");
    expect(file).toContain('stroke="#ff7f0e"');
    // Taller than the chart by the title and two legend rows.
    expect(Number(/height="(\d+)"/.exec(file)![1])).toBe(260 + 24 + 2 * 18 + 8);
  });

  it("holds exactly the plotted lines and band: one point per value, higher values drawn higher", () => {
    const drawn = linePaths(svg);
    expect(linePaths(file)).toEqual(drawn);
    const [a, b] = drawn.map(points);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(2);
    // y grows downwards in SVG: 0.2 < 0.5 < 0.8 means falling pixel y; x follows the epochs.
    expect(a![0]![1]).toBeGreaterThan(a![1]![1]!);
    expect(a![1]![1]).toBeGreaterThan(a![2]![1]!);
    expect(a![0]![0]).toBe(b![0]![0]);
    // Adam at epoch 1 (0.6) sits between SGD's 0.5 and 0.8 at epochs 2 and 3.
    expect(b![0]![1]).toBeLessThan(a![1]![1]!);
    expect(b![0]![1]).toBeGreaterThan(a![2]![1]!);
    expect(file.match(/fill="#1f77b4" opacity="0.15"/g)).toHaveLength(1);
  });

  it("refuses what is not a sized <svg>", () => {
    expect(() => standaloneSvg("<div></div>", "t", [])).toThrow(/not an <svg>/);
    expect(() => standaloneSvg("<svg></svg>", "t", [])).toThrow(/no width and height/);
  });

  it("drawn on the client only: the server's HTML keeps the title, the legend and a box of the chart's height, without the plot", () => {
    const html = renderToStaticMarkup(
      createElement(LineChart, { title: "Validation accuracy", series, xLabel: "epoch", drawOnClient: true }),
    );
    expect(html).not.toContain("<svg");
    expect(html).toContain('<div style="height:260px" data-chart-placeholder="">');
    expect(html).toContain("Validation accuracy");
    expect(html).toContain(">Adam<");
  });
});
