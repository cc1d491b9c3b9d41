/**
 * Every fixture case from scripts/fixtures/schedules.py (PyTorch 1.13's own schedulers, and Keras 3's
 * formula where PyTorch lacks the variant) against our scheduler, step by step, to 1e-9.
 */
import { describe, expect, it } from "vitest";
import { expectTableClose } from "./expectClose";
import { scheduleFixtures } from "./fixtures";
import { parseScheduleSpec } from "./spec";
import { scheduleTable } from "./table";

const fixture = scheduleFixtures();

describe(`schedules against PyTorch ${fixture.torch} (scripts/fixtures/schedules.py)`, () => {
  it("covers every new field", () => {
    const specs = JSON.stringify(fixture.cases.map((c) => c.spec));
    for (const field of [
      "threePhase",
      "cycleMomentum",
      "exp_range",
      "tMax",
      "endLr",
      "thresholdMode",
      '"convention":"pytorch"',
      '"unit":"step"',
    ])
      expect(specs).toContain(field);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const table = scheduleTable(parseScheduleSpec(c.spec), { epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch, monitor: c.monitor });
    expectTableClose(table.lr, c.lr);
    if (c.momentum) expectTableClose(table.momentum!, c.momentum);
    else expect(table.momentum).toBeUndefined();
  });
});
