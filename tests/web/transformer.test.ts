/** The wire format's NaN columns: one meta entry per column instead of one per NaN, and a faithful round trip. */
import { describe, expect, it } from "vitest";
import { transformer } from "../../lib/transformer";

describe("transformer", () => {
  it("sends a number column holding NaN as numbers and nulls, with one meta entry, and reads it back", () => {
    const value = { run: { testAcc: [NaN, NaN, 0.5], valAcc: [0.25, 0.5], when: new Date("2026-01-02T03:04:05Z") } };
    const { json, meta } = transformer.serialize(value);
    expect(json).toEqual({ run: { testAcc: [null, null, 0.5], valAcc: [0.25, 0.5], when: "2026-01-02T03:04:05.000Z" } });
    expect(meta?.values).toEqual({ "run.testAcc": [["custom", "numbers-with-nan"]], "run.when": ["Date"] });
    const back = transformer.deserialize<typeof value>({ json, meta: meta! });
    expect(back.run.testAcc).toEqual([NaN, NaN, 0.5]);
    expect(back.run.valAcc).toEqual([0.25, 0.5]);
    expect(back.run.when).toEqual(new Date("2026-01-02T03:04:05Z"));
  });

  it("leaves other arrays alone: a lone NaN, mixed arrays, arrays without NaN", () => {
    const { json, meta } = transformer.serialize({ a: NaN, b: ["x", NaN], c: [1, 2] });
    expect(json).toEqual({ a: "NaN", b: ["x", "NaN"], c: [1, 2] });
    expect(meta?.values).toEqual({ a: ["number"], "b.1": ["number"] });
  });

  it("keeps a 30-epoch run's NaN columns small: bytes do not grow with each NaN's meta", () => {
    const column = () => Array.from({ length: 30 }, () => NaN);
    const size = JSON.stringify(
      transformer.serialize({ r: { testLoss: column(), testAcc: column(), lrMin: column(), lrMax: column() } }),
    ).length;
    // 4 × 30 nulls (4 × 149 bytes as arrays) and four meta entries: under 1 KB, where one entry per NaN was about 5 KB.
    expect(size).toBeLessThan(1000);
  });
});
