import { describe, expect, it } from "vitest";
import {
  browserLrTest,
  browserLrTestSettings,
  initialLrTest,
  lrTestStatus,
  type BrowserLrTestState,
  type LrTestAction,
} from "../../app/_components/preview/lrTestState";
import type { RangeTestResult } from "../../training/lrFind/rangeTest";

const step = (id: number, iteration: number, lr: number, loss: number, smoothLoss: number): LrTestAction => ({
  type: "iteration",
  id,
  progress: { iteration, numIt: 8, lr, loss, smoothLoss },
});
const apply = (actions: LrTestAction[], from: BrowserLrTestState = initialLrTest) => actions.reduce(browserLrTest, from);

describe("browser LR test state", () => {
  it("starts empty, appends one point per iteration and takes the runner's result when it finishes", () => {
    const running = apply([{ type: "start", id: 1, runKey: "a", numIt: 8 }, step(1, 0, 1e-7, 2.3, 2.3), step(1, 1, 1e-6, 2.1, 2.2)]);
    expect(running.phase).toBe("running");
    expect(running.runKey).toBe("a");
    expect(running.result?.lr).toEqual([1e-7, 1e-6]);
    expect(running.result?.loss).toEqual([2.3, 2.1]);
    expect(running.result?.smoothLoss).toEqual([2.3, 2.2]);
    expect(running.result?.suggestions).toEqual({ valley: null, steep: null, minimum: null });
    expect(lrTestStatus(running)).toBe("LR test running: iteration 2 of 8");

    const result: RangeTestResult = {
      lr: [1e-7, 1e-6, 1e-5],
      loss: [2.3, 2.1, 9],
      smoothLoss: [2.3, 2.2, 4.5],
      suggestions: { valley: 1e-6, steep: 1e-7, minimum: 1e-7 },
      stoppedEarly: true,
    };
    const done = browserLrTest(apply([step(1, 2, 1e-5, 9, 4.5)], running), { type: "finished", id: 1, result });
    expect(done.phase).toBe("done");
    expect(done.result).toBe(result);
    expect(lrTestStatus(done)).toBe("LR test done: stopped early after 3 iterations (the loss diverged)");
  });

  it("keeps the partial curve without suggestions when stopped, and shows a failure's message", () => {
    const stopped = apply([{ type: "start", id: 1, runKey: "a", numIt: 8 }, step(1, 0, 1e-7, 2.3, 2.3), { type: "stopped", id: 1 }]);
    expect(stopped.phase).toBe("stopped");
    expect(stopped.result?.lr).toEqual([1e-7]);
    expect(lrTestStatus(stopped)).toBe("LR test stopped after 1 of 8 iterations: no suggestions");

    const failed = apply(
      [
        { type: "start", id: 2, runKey: "b", numIt: 8 },
        { type: "failed", id: 2, message: "WebGL lost" },
      ],
      stopped,
    );
    expect(failed.phase).toBe("failed");
    expect(failed.runKey).toBe("b");
    expect(failed.result?.lr).toEqual([]);
    expect(lrTestStatus(failed)).toBe("LR test failed: WebGL lost");
    expect(lrTestStatus(initialLrTest)).toBeNull();
  });

  it("ignores a late callback from an earlier test and anything after the test ended", () => {
    const second = apply([
      { type: "start", id: 1, runKey: "a", numIt: 8 },
      { type: "start", id: 2, runKey: "b", numIt: 8 },
    ]);
    // Test 1 was stopped by Run for test 2: its last iteration and its rejection arrive late.
    expect(apply([step(1, 0, 1e-7, 2.3, 2.3), { type: "stopped", id: 1 }], second)).toBe(second);
    const stopped = apply([{ type: "stopped", id: 2 }], second);
    expect(apply([step(2, 0, 1e-7, 2.3, 2.3), { type: "failed", id: 2, message: "late" }], stopped)).toBe(stopped);
  });

  it("reads the Iterations entry with fastai's start and end lr, refusing what the schema refuses", () => {
    expect(browserLrTestSettings("50")).toEqual({ startLr: 1e-7, endLr: 10, numIt: 50 });
    expect(browserLrTestSettings(" 6 ")).toEqual({ startLr: 1e-7, endLr: 10, numIt: 6 });
    expect(browserLrTestSettings("5")).toBe("Iterations: must be an integer between 6 and 10000");
    expect(browserLrTestSettings("12.5")).toBe("Iterations: must be an integer between 6 and 10000");
    expect(browserLrTestSettings("")).toBe("Iterations: must be an integer between 6 and 10000");
    expect(browserLrTestSettings("10001")).toBe("Iterations: must be an integer between 6 and 10000");
  });
});
