import { describe, expect, it } from "vitest";
import { extent, linearScale, logScale, nearestIndex, tickFormat } from "../../app/_components/charts/scale";

describe("chart scales", () => {
  it("gives ticks distinct labels even over a narrow span", () => {
    const scale = linearScale([2.288, 2.312], [0, 100]);
    const labels = scale.ticks.map(scale.format);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toBe("2.285");
  });

  it("maps the domain onto the range with nice bounds", () => {
    const scale = linearScale([0, 9.3], [0, 100]);
    expect(scale.ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(scale(5)).toBe(50);
  });

  it("labels log decades and leaves non-positive values undrawable", () => {
    const scale = logScale([0.0004, 0.1], [100, 0]);
    expect(scale.ticks).toEqual([1e-4, 1e-3, 1e-2, 1e-1]);
    expect(scale.ticks.map(scale.format)).toEqual(["1e-4", "1e-3", "0.01", "0.1"]);
    expect(scale(0)).toBeNaN();
  });

  it("ignores non-finite values (diverged runs) when finding the extent", () => {
    expect(extent([1, NaN, Infinity, 3, -2])).toEqual([-2, 3]);
    expect(extent([0, 0.5, -1], true)).toEqual([0.5, 0.5]);
    expect(extent([NaN])).toBeNull();
  });

  it("finds the nearest x", () => {
    expect(nearestIndex([1, 2, 4, 8], 5.9)).toBe(2);
    expect(nearestIndex([1, 2, 4, 8], 6.1)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it("switches to exponents for very small steps", () => {
    expect(tickFormat(1e-5, 3e-4)(2e-4)).toBe("2.0e-4");
  });
});

describe("log scale over a narrow span", () => {
  it("fits the data and ticks inside it instead of flattening the lines", () => {
    const scale = logScale([2.21, 2.33], [100, 0]);
    expect(scale.ticks.length).toBeGreaterThanOrEqual(2);
    expect(scale.ticks.every((t) => t >= 2.1 && t <= 2.4)).toBe(true);
    expect(scale(2.21) - scale(2.33)).toBeGreaterThan(50);
  });
});
