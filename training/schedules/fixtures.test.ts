/**
 * Every fixture case from scripts/fixtures/schedules.py (PyTorch 1.13's own schedulers, and Keras 3's
 * formula where PyTorch lacks the variant) against the `schedule` command's output, step by step, to
 * 1e-9. The command runs in process here; tests/cli runs the real binary on a few cases.
 */
import { describe, expect, it, vi } from "vitest";
import { scheduleCommand } from "../cli/commands/schedule";
import { expectTableClose } from "./expectClose";
import { scheduleFixtures, type ScheduleFixture } from "./fixtures";

const fixture = scheduleFixtures();

/** What `lrlab schedule` prints for a case. */
async function scheduleOutput(c: ScheduleFixture): Promise<{ lr: number[][]; momentum?: number[][] }> {
  let printed = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
  try {
    const values = { spec: JSON.stringify(c.spec), epochs: String(c.epochs), "steps-per-epoch": String(c.stepsPerEpoch) };
    expect(await scheduleCommand.run(c.monitor ? { ...values, monitor: c.monitor.join(",") } : values, [])).toBe(0);
  } finally {
    write.mockRestore();
  }
  return JSON.parse(printed) as { lr: number[][]; momentum?: number[][] };
}

describe(`lrlab schedule against PyTorch ${fixture.torch} (scripts/fixtures/schedules.py)`, () => {
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

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const out = await scheduleOutput(c);
    expect(Object.keys(out)).toEqual(c.momentum ? ["lr", "momentum"] : ["lr"]);
    expectTableClose(out.lr, c.lr);
    if (c.momentum) expectTableClose(out.momentum!, c.momentum);
  });
});
