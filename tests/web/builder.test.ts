/** The builder's pure parts: schema-driven fields, live validation, the lr curve, server issue routing. */
import { describe, expect, it } from "vitest";
import {
  checkDraft,
  draftInput,
  lrCurve,
  newDraft,
  splitServerIssues,
  articleDrafts,
  DEFAULT_CONFIG,
} from "../../app/_components/builder/draft";
import { draftRunCount } from "../../lib/schemas";
import {
  newOptimizer,
  newSchedule,
  optimizerFieldsOf,
  scheduleFieldsOf,
  SCHEDULE_KINDS,
  OPTIMIZER_KINDS,
} from "../../app/_components/builder/fields";
import { unplacedIssues } from "../../app/_components/builder/issues";
import { parseRunConfig } from "../../training/config";
import { lrTable } from "../../training/schedules";

const LIMITS = { maxEpochs: 200 };

describe("fields from the schemas", () => {
  it("gives every schedule kind a valid starting spec", () => {
    for (const kind of SCHEDULE_KINDS) {
      const draft = newDraft({ ...DEFAULT_CONFIG, schedule: newSchedule(kind) });
      expect(checkDraft(draft, LIMITS).issues, kind).toEqual([]);
    }
  });

  it("gives every optimizer kind a valid starting spec", () => {
    for (const kind of OPTIMIZER_KINDS) {
      expect(checkDraft(newDraft({ ...DEFAULT_CONFIG, optimizer: newOptimizer(kind) }), LIMITS).issues, kind).toEqual([]);
    }
  });

  it("reads field kinds and defaults from zod", () => {
    expect(scheduleFieldsOf("oneCycle")).toEqual([
      { name: "maxLr", kind: "number", optional: false },
      { name: "pctStart", kind: "number", optional: true, defaultValue: 0.3 },
      { name: "divFactor", kind: "number", optional: true, defaultValue: 25 },
      { name: "finalDivFactor", kind: "number", optional: true, defaultValue: 1e4 },
      { name: "anneal", kind: "enum", optional: true, defaultValue: "cos", options: ["cos", "linear"] },
      { name: "threePhase", kind: "boolean", optional: true },
      { name: "convention", kind: "enum", optional: true, options: ["pytorch", "fastai"] },
      { name: "cycleMomentum", kind: "boolean", optional: true },
      { name: "baseMomentum", kind: "number", optional: true },
      { name: "maxMomentum", kind: "number", optional: true },
    ]);
    expect(scheduleFieldsOf("sequence")).toEqual([{ name: "parts", kind: "parts", optional: false }]);
    expect(scheduleFieldsOf("piecewise").map((f) => f.kind)).toEqual(["numberList", "numberList"]);
    expect(optimizerFieldsOf("sgd")).toEqual([
      { name: "momentum", kind: "number", optional: true, defaultValue: 0 },
      { name: "nesterov", kind: "boolean", optional: true, defaultValue: false },
      { name: "weightDecay", kind: "number", optional: true },
    ]);
    expect(optimizerFieldsOf("adamw").find((f) => f.name === "weightDecay")).toEqual({
      name: "weightDecay",
      kind: "number",
      optional: true,
      defaultValue: 0.01,
    });
  });

  it("keeps the learning rate when the schedule kind changes", () => {
    expect(newSchedule("cosine", { kind: "step", lr: 0.05, drop: 0.5, epochsDrop: 10 })).toEqual({ kind: "cosine", lr: 0.05, minLr: 0 });
  });
});

describe("live validation", () => {
  it("marks fields with the validator's message, nested ones included", () => {
    const draft = newDraft(
      {
        ...DEFAULT_CONFIG,
        epochs: Number.NaN,
        schedule: {
          kind: "sequence",
          parts: [{ schedule: { kind: "constant", lr: 0.1 } }, { schedule: { kind: "step", lr: 0.1, drop: 0, epochsDrop: 5 } }],
        },
      },
      [1, 1],
    );
    const issues = checkDraft(draft, LIMITS).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        "config.epochs: must be a number",
        "config.schedule.parts[1].schedule.drop: must be > 0",
        "config.schedule.parts[0].epochs: is required (only the last part may omit it)",
        "seeds[1]: repeats seed 1",
      ]),
    );
  });

  it("applies the server's epoch limit and the whole-run formula check", () => {
    expect(checkDraft(newDraft({ ...DEFAULT_CONFIG, epochs: 201 }), LIMITS).issues).toEqual([
      { path: "config.epochs", message: "must be ≤ 200 (this server's limit)" },
    ]);
    const negative = checkDraft(
      newDraft({ ...DEFAULT_CONFIG, epochs: 10, schedule: { kind: "expression", expr: "0.1 - 0.02 * epoch" } }),
      LIMITS,
    );
    expect(negative.issues).toHaveLength(1);
    expect(negative.issues[0]!.path).toBe("config.schedule.expr");
    expect(negative.issues[0]!.message).toMatch(/negative.*epoch 6/);
  });

  it("lists issues no input shows, such as unknown fields", () => {
    const config = { ...DEFAULT_CONFIG, schedule: { kind: "constant", lr: 0.1, typo: 1 } } as never;
    const { issues } = checkDraft(newDraft(config), LIMITS);
    expect(unplacedIssues(issues, config)).toEqual([{ path: "config.schedule.typo", message: "unknown field" }]);
    expect(unplacedIssues([{ path: "config.schedule.lr", message: "x" }], config)).toEqual([]);
  });

  it("routes the server's issues to the run they name", () => {
    const { byRun, general } = splitServerIssues(
      [
        { path: "title", message: "is required" },
        { path: "runs[1].config.epochs", message: "must be ≤ 20" },
        { path: "runs", message: "too many" },
      ],
      "runs",
    );
    expect(general).toEqual([
      { path: "title", message: "is required" },
      { path: "runs", message: "too many" },
    ]);
    expect(byRun.get(1)).toEqual([{ path: "config.epochs", message: "must be ≤ 20" }]);
  });
});

describe("the live lr curve", () => {
  it("draws per-epoch schedules as stairs with the worker's values", () => {
    const config = parseRunConfig({
      epochs: 4,
      batchSize: 100,
      trainLimit: 1000,
      optimizer: { kind: "sgd" },
      schedule: { kind: "step", lr: 0.1, drop: 0.5, epochsDrop: 2 },
    });
    const curve = lrCurve(config)!;
    const table = lrTable(config.schedule, { epochs: 4, stepsPerEpoch: 10 });
    expect(curve.perStep).toBe(false);
    expect(curve.x).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    expect(curve.y).toEqual(table.flatMap((row) => [row[0], row[0]]));
  });

  it("keeps every cycle's peak and trough for per-step schedules while bounding the points", () => {
    const config = parseRunConfig({
      epochs: 50,
      batchSize: 10,
      trainLimit: 5000,
      optimizer: { kind: "sgd" },
      schedule: { kind: "cyclic", baseLr: 0.001, maxLr: 0.1, stepSizeUp: 7 },
    });
    const curve = lrCurve(config, 1000)!;
    expect(curve.perStep).toBe(true);
    expect(curve.x.length).toBeLessThanOrEqual(1000);
    const all = lrTable(config.schedule, { epochs: 50, stepsPerEpoch: 500 }).flat();
    expect(Math.max(...curve.y)).toBe(Math.max(...all));
    expect(Math.min(...curve.y)).toBe(Math.min(...all));
  });
});

describe("Reproduce the article", () => {
  it("fills the article's eight runs, keeping the subset sizes of the last run", () => {
    const drafts = articleDrafts({ ...DEFAULT_CONFIG, epochs: 3, trainLimit: 64, testLimit: 32 });
    expect(drafts).toHaveLength(8);
    expect(drafts.map((d) => [d.config.optimizer.kind, d.config.schedule.kind])).toEqual([
      ["sgd", "constant"],
      ["sgd", "timeBased"],
      ["sgd", "step"],
      ["sgd", "exponential"],
      ["adagrad", "constant"],
      ["adadelta", "constant"],
      ["rmsprop", "constant"],
      ["adam", "constant"],
    ]);
    for (const draft of drafts) {
      expect(draft.config).toMatchObject({ epochs: 3, trainLimit: 64, testLimit: 32, batchSize: 64 });
      expect(checkDraft(draft, LIMITS).issues).toEqual([]);
    }
  });
});

describe("a draft marked Tune lr", () => {
  const limits = { maxEpochs: 100 };
  const tuned = (config: Record<string, unknown>, seeds = [3]) => ({
    ...newDraft({ ...DEFAULT_CONFIG, ...config }, seeds),
    tune: { n: 4, k: 2 },
  });

  it("names the fields it needs while typing: a validation split, one seed, a schedule with an lr", () => {
    expect(checkDraft(tuned({}), limits).issues.map((i) => i.path)).toEqual(["config.valSplit"]);
    expect(checkDraft(tuned({ valSplit: 100 }, [1, 2]), limits).issues.map((i) => i.path)).toEqual(["seeds"]);
    expect(checkDraft(tuned({ valSplit: 100, schedule: { kind: "linear", from: 0.1, to: 0 } }), limits).issues).toEqual([
      { path: "config.schedule.kind", message: "'linear' has no lr field to tune" },
    ]);
    expect(checkDraft({ ...tuned({ valSplit: 100 }), tune: { n: 1 } }, limits).issues).toEqual([
      { path: "tune.n", message: "must be ≥ 2" },
    ]);
    expect(checkDraft(tuned({ valSplit: 100 }), limits).config?.valSplit).toBe(100);
  });

  it("keeps its tuning when duplicated and sends it with the draft", () => {
    const draft = tuned({ valSplit: 100 });
    const copy = newDraft(draft.config, draft.seeds, draft.tune);
    expect(copy.tune).toEqual({ n: 4, k: 2 });
    expect(draftInput(copy)).toEqual({ config: draft.config, seeds: [3], tune: { n: 4, k: 2 } });
    expect(draftRunCount(draftInput(copy))).toBe(6);
    expect(draftRunCount({ seeds: [1, 2, 3] })).toBe(3);
  });
});

describe("the tuning inputs", () => {
  it("place their issues on their fields, not in the run's other problems", () => {
    const issues = [
      { path: "config.valSplit", message: "a tuned run needs a validation split" },
      { path: "tune.n", message: "must be ≥ 2" },
    ];
    expect(unplacedIssues(issues, DEFAULT_CONFIG)).toEqual([]);
  });
});
