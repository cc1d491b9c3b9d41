import { describe, expect, it } from "vitest";
import { halvingRungs, survivors } from "./halving";
import { logSpaced, withLr } from "./sweep";

describe("lr sweep", () => {
  it("spaces learning rates evenly in log, ends included", () => {
    const lrs = logSpaced(5, [1e-4, 1]);
    [1e-4, 1e-3, 1e-2, 1e-1, 1].forEach((v, i) => expect(lrs[i]).toBeCloseTo(v, 12));
    expect(logSpaced(2, [0.01, 0.5])).toEqual([0.01, 0.5]);
    expect(() => logSpaced(1, [1e-4, 1])).toThrow(/n: must be an integer ≥ 2/);
    expect(() => logSpaced(4, [1, 1e-4])).toThrow(/lr range/);
  });

  it("sets the lr of schedules that have one and names the field otherwise", () => {
    expect(withLr({ kind: "cosine", lr: 0.1, minLr: 0 }, 0.3)).toEqual({ kind: "cosine", lr: 0.3, minLr: 0 });
    expect(() => withLr({ kind: "linear", from: 0.1, to: 0 }, 0.3)).toThrow(/schedule.kind: 'linear' has no lr field to tune/);
  });
});

describe("successive halving", () => {
  it("stops at a third and two thirds of the epochs", () => {
    expect(halvingRungs(6)).toEqual([2, 4]);
    expect(halvingRungs(9)).toEqual([3, 6]);
    expect(halvingRungs(10)).toEqual([3, 7]);
    expect(halvingRungs(3)).toEqual([1, 2]);
    expect(halvingRungs(2)).toEqual([]);
  });

  it("keeps the better half (rounded up); diverged and NaN count as worst; ties keep the earlier", () => {
    expect(
      survivors([
        { index: 0, valAcc: 0.3 },
        { index: 1, valAcc: Number.NaN },
        { index: 2, valAcc: 0.5 },
        { index: 3, valAcc: 0.3 },
        { index: 4, valAcc: 0.1 },
      ]),
    ).toEqual({ keep: [2, 0, 3], stop: [4, 1] });
  });
});
