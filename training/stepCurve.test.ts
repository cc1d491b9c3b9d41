import { describe, expect, it } from "vitest";
import { appendStepPoints, emptyStepColumns, StepDownsampler, stepsPerPoint } from "./stepCurve";

describe("per-step curve downsampling", () => {
  it("keeps at most 100 points per epoch, k = ceil(stepsPerEpoch / 100) steps each", () => {
    expect([1, 99, 100, 101, 250, 782, 50_000].map(stepsPerPoint)).toEqual([1, 1, 1, 2, 3, 8, 500]);
    // The example: 782 steps per epoch → 98 points per epoch, 19,600 over 200 epochs.
    expect(Math.ceil(782 / stepsPerPoint(782)) * 200).toBeLessThanOrEqual(20_000);
  });

  it("250 steps per epoch: 84 points of 3 steps (the last of 1), mean loss, first lr, lr range", () => {
    const sampler = new StepDownsampler(250);
    const lrOf = (step: number) => 1000 - step;
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let b = 0; b < 250; b++) sampler.add(epoch, b, lrOf(epoch * 250 + b), b % 3 === 0 ? 3 : 0);
      const points = sampler.take();
      expect(points).toHaveLength(84);
      // Steps 0–2: losses 3, 0, 0; lrs 1000, 999, 998 (shifted by 250 in epoch 1).
      const s = epoch * 250;
      expect(points[0]).toEqual({ epoch, step: s, lr: 1000 - s, lrMin: 998 - s, lrMax: 1000 - s, loss: 1 });
      expect(points[1]).toEqual({ epoch, step: s + 3, lr: 997 - s, lrMin: 995 - s, lrMax: 997 - s, loss: 1 });
      // The last point holds step 249 alone (249 % 3 = 0: loss 3).
      expect(points[83]).toEqual({ epoch, step: s + 249, lr: 751 - s, lrMin: 751 - s, lrMax: 751 - s, loss: 3 });
    }
  });

  it("keeps every step of a short epoch, and aligns buckets when an epoch resumes mid-way", () => {
    const short = new StepDownsampler(4);
    [0.5, 0.4, 0.3, 0.2].forEach((loss, b) => short.add(0, b, 0.1, loss));
    expect(short.take().map((p) => [p.step, p.loss])).toEqual([
      [0, 0.5],
      [1, 0.4],
      [2, 0.3],
      [3, 0.2],
    ]);
    const resumed = new StepDownsampler(250);
    for (let b = 4; b < 9; b++) resumed.add(1, b, b, b);
    // Batches 4–5 complete bucket 3–5 partially; 6–8 form the next bucket.
    expect(resumed.take()).toEqual([
      { epoch: 1, step: 254, lr: 4, lrMin: 4, lrMax: 5, loss: 4.5 },
      { epoch: 1, step: 256, lr: 6, lrMin: 6, lrMax: 8, loss: 7 },
    ]);
  });

  it("appends points as columns", () => {
    const columns = appendStepPoints(emptyStepColumns(), [
      { epoch: 0, step: 0, lr: 1, lrMin: 0.5, lrMax: 1, loss: 2 },
      { epoch: 1, step: 3, lr: 2, lrMin: 2, lrMax: 3, loss: 1 },
    ]);
    expect(columns).toEqual({ epoch: [0, 1], step: [0, 3], lr: [1, 2], lrMin: [0.5, 2], lrMax: [1, 3], loss: [2, 1] });
  });
});
