/** An LR test's chart input: log10 lr on x, the smoothed loss with the raw loss behind, suggestions on the curve. */
import { describe, expect, it } from "vitest";
import { formatLogLr, lrTestChart } from "../../app/_components/builder/lrTestChart";

describe("lrTestChart", () => {
  it("puts each suggestion on the smoothed curve at the nearest lr, and reads stored nulls as gaps", () => {
    const chart = lrTestChart({
      lr: [1e-4, 1e-3, 1e-2, 1e-1, 1],
      loss: [2.3, 2.1, 1.7, 2.5, null],
      smoothLoss: [2.3, 2.2, 1.9, 2.1, null],
      suggestions: { valley: 1e-2, steep: 1e-3, minimum: 1e-3 },
      stoppedEarly: true,
    });
    expect(chart.series).toHaveLength(1);
    expect(chart.series[0]!.x).toEqual([-4, -3, -2, -1, 0]);
    expect(chart.series[0]!.y).toEqual([2.3, 2.2, 1.9, 2.1, Number.NaN]);
    expect(chart.series[0]!.raw).toEqual([2.3, 2.1, 1.7, 2.5, Number.NaN]);
    expect(chart.points.map((p) => [p.key, p.x, p.y])).toEqual([
      ["valley", -2, 1.9],
      ["steep", -3, 2.2],
      ["minimum", -3, 2.2],
    ]);
  });

  it("leaves out a suggestion that is null", () => {
    const chart = lrTestChart({
      lr: [0.1],
      loss: [2],
      smoothLoss: [2],
      suggestions: { valley: 0.1, steep: null, minimum: 0.01 },
      stoppedEarly: false,
    });
    expect(chart.points.map((p) => p.key)).toEqual(["valley", "minimum"]);
    expect(formatLogLr(-3)).toBe("1e-3");
  });
});
