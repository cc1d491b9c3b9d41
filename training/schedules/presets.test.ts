import { describe, expect, it } from "vitest";
import { describeSchedule } from "./describe";
import { presetFixtures } from "./fixtures";
import { isSchedulePresetName, SCHEDULE_PRESET_NAMES, SCHEDULE_PRESETS } from "./presets";
import { checkScheduleOverRun, lrTable, scheduleTable } from "./table";
import { expectClose, expectTableClose } from "./expectClose";

const libraryCases = presetFixtures().cases;

describe("SCHEDULE_PRESETS", () => {
  it("builds a valid schedule for each preset and run length", () => {
    for (const name of SCHEDULE_PRESET_NAMES) {
      for (const epochs of [1, 3, 50]) {
        const spec = SCHEDULE_PRESETS[name].build(epochs);
        expect(checkScheduleOverRun(spec, { epochs, stepsPerEpoch: 7 })).toEqual([]);
        expect(describeSchedule(spec)).not.toBe("");
      }
      expect(SCHEDULE_PRESETS[name].label).not.toBe("");
    }
  });

  it("has the article's settings", () => {
    expect(SCHEDULE_PRESETS.constant.build(50)).toEqual({ kind: "constant", lr: 0.1 });
    expect(SCHEDULE_PRESETS.timeBased.build(50)).toEqual({ kind: "timeBased", lr: 0.1, decay: 0.002 });
    expect(SCHEDULE_PRESETS.step.build(50)).toEqual({ kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 10 });
    expect(SCHEDULE_PRESETS.exponential.build(50)).toEqual({ kind: "exponential", lr: 0.1, k: 0.1 });
    expect(SCHEDULE_PRESETS.power.build(50)).toEqual({ kind: "power", lr: 0.1, power: 1 });
    expect(SCHEDULE_PRESETS.progressiveDrops.build(50)).toEqual({
      kind: "piecewise",
      boundaries: [25, 37.5, 45],
      values: [0.1, 0.01, 0.001, 0.0001],
    });
  });

  it("warm-up + cosine ramps for 5 epochs and then anneals", () => {
    const table = lrTable(SCHEDULE_PRESETS.warmupCosine.build(40), { epochs: 40, stepsPerEpoch: 2 });
    expect(table[0]![0]).toBe(0);
    expectClose(table[4]![1]!, 0.1 * (9 / 10));
    expectClose(table[5]![0]!, 0.1);
    expectClose(table[39]![0]!, (0.1 * (1 + Math.cos((Math.PI * 34) / 35))) / 2);
  });

  it("recognises its own names only", () => {
    expect(isSchedulePresetName("oneCycle")).toBe(true);
    expect(isSchedulePresetName("toString")).toBe(false);
    expect(isSchedulePresetName("__proto__")).toBe(false);
    expect(() => SCHEDULE_PRESETS.step.build(0)).toThrow(/epochs must be an integer ≥ 1/);
  });
});

describe("library presets against their libraries' definitions (scripts/fixtures/schedules.py)", () => {
  it("has one reference per library preset, under the names people cite", () => {
    expect(libraryCases.map((c) => SCHEDULE_PRESETS[c.preset].label)).toEqual([
      "PyTorch OneCycleLR (defaults)",
      "fastai fit_one_cycle",
      "Keras 3 CosineDecay with warm-up",
      "Hugging Face warmup-stable-decay",
      "timm cosine with warm-up",
    ]);
  });

  it.each(libraryCases.map((c) => [c.source, c] as const))("%s", (_source, c) => {
    const table = scheduleTable(SCHEDULE_PRESETS[c.preset].build(c.epochs), { epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch });
    expectTableClose(table.lr, c.lr);
    if (c.momentum) expectTableClose(table.momentum!, c.momentum);
    else expect(table.momentum).toBeUndefined();
  });
});
