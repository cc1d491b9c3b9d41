import { describe, expect, it } from "vitest";
import { expectClose } from "../schedules/expectClose";
import { DivergenceStop, LossSmoother, lrFindSettingsSchema, rampLr, runRangeTest, suggest } from "./rangeTest";

// Every expectation below is worked out by hand from fastai's definitions (schedule.py, learner.py).
const defaults = lrFindSettingsSchema.parse({});
const twenty = lrFindSettingsSchema.parse({ numIt: 20 }); // lr_i = 10^(-7 + 0.4 i)

describe("ramp", () => {
  it("is start·(end/start)^(i/numIt) for i = 0 … numIt−1, never reaching end", () => {
    expect(defaults).toEqual({ startLr: 1e-7, endLr: 10, numIt: 100 });
    expectClose(rampLr(0, defaults), 1e-7, 1e-12);
    expectClose(rampLr(25, defaults), 1e-5, 1e-12);
    expectClose(rampLr(50, defaults), 1e-3, 1e-12);
    expectClose(rampLr(99, defaults), 10 ** 0.92, 1e-12);
    expectClose(rampLr(3, lrFindSettingsSchema.parse({ startLr: 1e-3, endLr: 1, numIt: 6 })), 10 ** -1.5, 1e-12);
  });

  it("rejects settings fastai would not run as asked, naming the field", () => {
    const issues = (input: unknown) => lrFindSettingsSchema.safeParse(input).error?.issues.map((i) => i.path.join("."));
    expect(issues({ numIt: 5 })).toEqual(["numIt"]);
    expect(issues({ startLr: 0 })).toEqual(["startLr"]);
    expect(issues({ startLr: 1, endLr: 0.5 })).toEqual(["endLr"]);
    expect(issues({ numIt: 10, extra: 1 })).toEqual([""]);
  });
});

describe("smoothing", () => {
  it("is the debiased EMA with β = 0.98", () => {
    const s = new LossSmoother();
    // avg1 = 0.02·1 → 0.02 / (1 − 0.98) = 1
    expectClose(s.push(1), 1, 1e-12);
    // avg2 = 0.98·0.02 + 0.02·2 = 0.0596 → 0.0596 / (1 − 0.9604) = 149/99
    expectClose(s.push(2), 149 / 99, 1e-12);
    // avg3 = 0.98·0.0596 + 0.02·3 = 0.118408 → / (1 − 0.941192)
    expectClose(s.push(3), 0.118408 / 0.058808, 1e-12);
  });
});

describe("stop rule", () => {
  it("stops after a smoothed loss above 4× the best so far (best updated first), or not finite", () => {
    const run = (values: number[]) => {
      const stop = new DivergenceStop();
      return values.findIndex((v) => stop.shouldStop(v));
    };
    expect(run([5, 3, 2, 7.9, 8, 8.1, 1])).toBe(5); // 8 = 4·2 is not above it
    expect(run([5, 3, 2, 7.9, 1, 4.1])).toBe(5); // the best drops to 1 first
    expect(run([0.5, 1.9])).toBe(-1);
    expect(run([1, NaN, 1])).toBe(1);
    expect(run([1, Infinity])).toBe(1);
  });
});

describe("suggestions", () => {
  // Smoothed losses for numIt 20: the suggestions see indices 2 … 14 ([20//10 : −5]).
  const losses = [9, 9, 2.0, 2.1, 1.9, 1.5, 1.4, 1.0, 0.9, 0.95, 0.8, 1.2, 3.0, 2.5, 6, 7, 8, 9, 10, 11];
  const lrs = losses.map((_, i) => rampLr(i, twenty));

  it("valley, steep and minimum follow fastai's rules", () => {
    const s = suggest(lrs, losses, 20);
    // Longest strictly decreasing subsequence of the slice ends at 0.8 (slice index 8, length 7:
    // 2.1 1.9 1.5 1.4 1.0 0.95 0.8), so max_start = 8 − 7 = 1, sections = 7/3, idx = 1 + 2 + 1 = 4 → lr_6.
    expectClose(s.valley!, 10 ** (-7 + 0.4 * 6), 1e-12);
    // Slopes over equal log-lr steps: the most negative difference is 3.0 → 2.5, left point lr_12.
    expectClose(s.steep!, 10 ** (-7 + 0.4 * 12), 1e-12);
    // Lowest loss 0.8 at lr_10 = 1e-3; a tenth of it.
    expectClose(s.minimum!, 1e-4, 1e-12);
  });

  it("cut at the first non-finite loss", () => {
    const withNaN = [...losses];
    withNaN[9] = NaN; // the slice becomes 2.0 2.1 1.9 1.5 1.4 1.0 0.9
    const s = suggest(lrs, withNaN, 20);
    // lds = 1 1 2 3 4 5 6: max_end 6, max_start 0, sections 2, idx 0 + 2 + 1 = 3 → lr_5.
    expectClose(s.valley!, 10 ** (-7 + 0.4 * 5), 1e-12);
    // Differences +0.1 −0.2 −0.4 −0.1 −0.4 −0.1: the first −0.4 (1.9 → 1.5), left point lr_4.
    expectClose(s.steep!, 10 ** (-7 + 0.4 * 4), 1e-12);
    expectClose(s.minimum!, 10 ** (-7 + 0.4 * 8) / 10, 1e-12);
  });

  it("keeps fastai's index arithmetic, Python's negative index included", () => {
    // Slice [3, 2]: lds = 1 2, max_end 1, max_start −1, sections 2/3, idx −1 → the last lr.
    const s = suggest([1e-3, 1e-2, 1e-1, 1, 10, 100, 1000], [5, 3, 2, 9, 9, 9, 9], 6);
    expect(s).toEqual({ valley: 1e-2, steep: 1e-3, minimum: 1e-3 });
  });

  it("are null when the slice is empty, and steep needs two points", () => {
    expect(suggest([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], 20)).toEqual({ valley: null, steep: null, minimum: null });
    expect(suggest([1, 2, 3, 4, 5, 6, 7, 8], [4, 4, 3, 1, 1, 1, 1, 1], 20)).toEqual({ valley: 3, steep: null, minimum: 0.3 });
    expect(suggest([1, 2, 3, 4, 5, 6, 7, 8], [4, 4, NaN, 1, 1, 1, 1, 1], 20)).toEqual({ valley: null, steep: null, minimum: null });
  });
});

describe("the test loop", () => {
  const settings = lrFindSettingsSchema.parse({ numIt: 10 });
  const run = (losses: number[]) => runRangeTest(settings, (_lr, i) => Promise.resolve(losses[i]!));

  it("runs numIt iterations on the ramp when the loss stays low", async () => {
    const r = await run([1, 1, 1, 12, 1, 1, 1, 1, 1, 1]);
    expect(r.stoppedEarly).toBe(false);
    expect(r.lr).toHaveLength(10);
    r.lr.forEach((lr, i) => expectClose(lr, 10 ** (-7 + 0.8 * i), 1e-12));
    expect(r.loss).toEqual([1, 1, 1, 12, 1, 1, 1, 1, 1, 1]);
    // After three 1s and a 12: (0.98·(1 − 0.98³) + 0.02·12) / (1 − 0.98⁴) = 0.29763184 / 0.07763184 ≈ 3.83 ≤ 4.
    expectClose(r.smoothLoss[3]!, 0.29763184 / 0.07763184, 1e-9);
  });

  it("stops early after the iteration whose smoothed loss passes 4× the best, keeping it", async () => {
    const r = await run([1, 1, 1, 13, 1, 1, 1, 1, 1, 1]);
    // (0.05763184 + 0.26) / 0.07763184 ≈ 4.09 > 4·1.
    expect(r.stoppedEarly).toBe(true);
    expect(r.loss).toEqual([1, 1, 1, 13]);
    expectClose(r.smoothLoss[3]!, 0.31763184 / 0.07763184, 1e-9);
    expect(r.suggestions).toEqual({ valley: null, steep: null, minimum: null }); // slice [1 : −1] of 4 is empty
  });

  it("stops at a NaN loss, which stays in the record", async () => {
    const r = await run([2, 1.5, NaN, 1, 1, 1, 1, 1, 1, 1]);
    expect(r.stoppedEarly).toBe(true);
    expect(r.loss).toEqual([2, 1.5, NaN]);
    expect(r.smoothLoss[2]).toBeNaN();
  });

  it("does not count the last planned iteration as an early stop", async () => {
    const r = await run([1, 1, 1, 1, 1, 1, 1, 1, 1, 100]);
    expect(r.loss).toHaveLength(10);
    expect(r.stoppedEarly).toBe(false);
  });
});
