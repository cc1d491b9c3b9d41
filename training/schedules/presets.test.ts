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

  it("gives the article's learning rates over a 50-epoch run", () => {
    // The article's formulas, written out here (epoch e is 0-based, one step per epoch, E = 50).
    const E = 50;
    const article: Record<string, (e: number) => number> = {
      constant: () => 0.1,
      timeBased: (e) => 0.1 / (1 + (0.1 / E) * e), // Keras 2 SGD(decay = lr / epochs), per batch
      step: (e) => 0.1 * 0.5 ** Math.floor((1 + e) / 10),
      exponential: (e) => 0.1 * Math.exp(-0.1 * e),
      power: (e) => 0.1 * (1 - e / E),
      // ÷10 once past 50%, 75% and 90% of the epochs.
      progressiveDrops: (e) => (e <= 25 ? 0.1 : e <= 37.5 ? 0.01 : e <= 45 ? 0.001 : 0.0001),
    };
    for (const [name, lrAt] of Object.entries(article)) {
      const table = lrTable(SCHEDULE_PRESETS[name as keyof typeof SCHEDULE_PRESETS].build(E), { epochs: E, stepsPerEpoch: 1 });
      table.forEach(([lr], e) => expectClose(lr!, lrAt(e)));
    }
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
