/** The comparison page's plotted data and its exports. */
import { describe, expect, it } from "vitest";
import { buildCharts, buildLines, smooth, stepEpochBoundaries, toCsv, toJson } from "../../app/_components/comparison/series";
import type { StepColumns } from "../../training/stepCurve";
import { parseViewParams } from "../../app/_components/comparison/viewParams";
import { viewQuery } from "../../app/_components/comparison/viewQuery";
import type { MetricColumns, PresentedRun } from "../../server/api/present";

const run = (id: string, group: string, label: string, seed = 0) => ({ id, group, label, seed }) as PresentedRun;
const columns = (valLoss: number[], seconds = valLoss.map(() => 10)): MetricColumns => ({
  epoch: valLoss.map((_, i) => i),
  lr: valLoss.map(() => 0.1),
  loss: valLoss,
  acc: valLoss.map(() => 0.5),
  valLoss,
  valAcc: valLoss.map(() => 0.4),
  testLoss: valLoss.map(() => Number.NaN),
  testAcc: valLoss.map(() => Number.NaN),
  seconds,
  imagesPerSec: valLoss.map(() => 100),
});

const runs = [run("a1", "A", "SGD", 1), run("a2", "A", "SGD", 2), run("b", "B", "Adam")];
const metrics = { a1: columns([2, 1, 0.5]), a2: columns([4, 3]), b: columns([1, 0.9], [5, 20]) };

describe("plotted lines", () => {
  it("draws one line per config: the seeds' mean with a min–max band", () => {
    const [a, b] = buildLines(runs, metrics, "valLoss", { x: "epoch", smoothing: 0 });
    expect(a).toMatchObject({ label: "SGD (2 seeds)", seeds: 2, x: [1, 2, 3], y: [3, 2, 0.5], lo: [2, 1, 0.5], hi: [4, 3, 0.5] });
    expect(a!.raw).toBeUndefined();
    expect(b).toMatchObject({ label: "Adam", seeds: 1, x: [1, 2], y: [1, 0.9] });
    expect(b!.lo).toBeUndefined();
  });

  it("draws the chosen band: mean ± std or ± standard error over the seeds reaching each point", () => {
    // Epoch 1: seeds 2 and 4, mean 3, s = √2, se = 1; epoch 3: one seed, no width.
    const [std] = buildLines(runs, metrics, "valLoss", { x: "epoch", smoothing: 0, band: "std" });
    expect(std!.lo![0]).toBeCloseTo(3 - Math.SQRT2, 12);
    expect(std!.hi![0]).toBeCloseTo(3 + Math.SQRT2, 12);
    expect([std!.lo![2], std!.hi![2]]).toEqual([0.5, 0.5]);
    const [se] = buildLines(runs, metrics, "valLoss", { x: "epoch", smoothing: 0, band: "se" });
    expect([se!.lo![0], se!.hi![0]]).toEqual([2, 4]);
    // t(0.975, 1) = 12.7062047: the 95% interval of two seeds is wide.
    const [ci] = buildLines(runs, metrics, "valLoss", { x: "epoch", smoothing: 0, band: "ci95" });
    expect(ci!.hi![0]).toBeCloseTo(3 + 12.706204736174707, 8);
  });

  it("puts wall-clock time on x when asked", () => {
    const [, b] = buildLines(runs, metrics, "valLoss", { x: "time", smoothing: 0 });
    expect(b!.x).toEqual([5, 25]);
  });

  it("smooths with a debiased EMA and keeps the raw values for the faint curve", () => {
    expect(smooth([1, 1, 1], 0.9)).toEqual([1, 1, 1]);
    expect(smooth([0, 10], 0.5)).toEqual([0, (10 * 0.5) / 0.75]);
    expect(smooth([1, NaN, 3], 0.5)[1]).toBeNaN();
    const [, b] = buildLines(runs, metrics, "valLoss", { x: "epoch", smoothing: 0.5 });
    expect(b!.raw).toEqual([1, 0.9]);
    // By hand: avg = 0.5·0 + 0.5·1 = 0.5 → 0.5/(1 − 0.5) = 1; avg = 0.5·0.5 + 0.5·0.9 = 0.7 → 0.7/(1 − 0.25).
    expect(b!.y[0]).toBeCloseTo(1, 12);
    expect(b!.y[1]).toBeCloseTo(0.7 / 0.75, 12);
  });
});

describe("exports", () => {
  const options = { x: "epoch" as const, smoothing: 0.5 };
  const charts = buildCharts(runs, metrics, options);

  it("writes exactly the plotted numbers as CSV", () => {
    const csv = toCsv(charts, options).trim().split("\n");
    expect(csv[0]).toBe("metric,line,epoch,value,raw,min,max");
    const adamSecond = csv.find((line) => line.startsWith("valLoss,Adam,2,"))!.split(",");
    expect(Number(adamSecond[3])).toBeCloseTo(0.7 / 0.75, 12);
    expect(adamSecond.slice(4)).toEqual(["0.9", "", ""]);
    expect(csv).toContain("valLoss,SGD (2 seeds),1,3,3,2,4");
    // Five metrics (lr, loss, val loss, acc, val acc), each with SGD's 3 epochs and Adam's 2.
    expect(csv).toHaveLength(1 + 5 * 5);
  });

  it("names the band's columns after the band drawn", () => {
    const std = { x: "epoch" as const, smoothing: 0, band: "std" as const };
    const stdCharts = buildCharts(runs, metrics, std);
    const csv = toCsv(stdCharts, std).trim().split("\n");
    expect(csv[0]).toBe("metric,line,epoch,value,raw,mean-std,mean+std");
    expect(csv).toContain(`valLoss,SGD (2 seeds),1,3,,${3 - Math.SQRT2},${3 + Math.SQRT2}`);
    const json = JSON.parse(toJson(stdCharts, std, "t"));
    expect(json.band).toBe("std");
    expect(json.charts.find((c: { metric: string }) => c.metric === "valLoss").lines[0].points[0]).toEqual({
      x: 1,
      value: 3,
      "mean-std": 3 - Math.SQRT2,
      "mean+std": 3 + Math.SQRT2,
    });
  });

  it("writes the same numbers as JSON", () => {
    const json = JSON.parse(toJson(charts, options, "t"));
    const adam = json.charts.find((c: { metric: string }) => c.metric === "valLoss").lines[1];
    expect(adam.points[1].x).toBe(2);
    expect(adam.points[1].raw).toBe(0.9);
    expect(adam.points[1].value).toBeCloseTo(0.7 / 0.75, 12);
    expect(json).toMatchObject({ title: "t", xAxis: "epoch", smoothing: 0.5 });
  });
});

describe("the epoch view's lr range", () => {
  it("bands the lr line with each epoch's lr range, the epoch's lr where none is stored", () => {
    const ranged = { ...columns([2, 1, 0.5]), lrMin: [0.05, NaN, 0.025], lrMax: [0.2, NaN, 0.1] };
    const [line] = buildLines([run("a1", "A", "SGD")], { a1: ranged }, "lr", { x: "epoch", smoothing: 0 });
    expect(line).toMatchObject({ y: [0.1, 0.1, 0.1], lo: [0.05, 0.1, 0.025], hi: [0.2, 0.1, 0.1] });
    const [loss] = buildLines([run("a1", "A", "SGD")], { a1: ranged }, "loss", { x: "epoch", smoothing: 0 });
    expect(loss!.lo).toBeUndefined();
  });
});

describe("the step axis", () => {
  const stepColumns = (loss: number[], lrShift = 0): StepColumns => ({
    epoch: [0, 0, 1],
    step: [0, 3, 5],
    lr: [0.5 + lrShift, 0.25 + lrShift, 0.125 + lrShift],
    lrMin: [0.25 + lrShift, 0.125 + lrShift, 0.125 + lrShift],
    lrMax: [0.5 + lrShift, 0.5 + lrShift, 0.125 + lrShift],
    loss,
  });
  const steps = { a1: stepColumns([2, 1, 0.5]), a2: stepColumns([4, 3, 1.5], 1), b: stepColumns([1, 0.8, 0.6]) };
  const options = { x: "step" as const, smoothing: 0 };
  const charts = buildCharts(runs, metrics, options, steps);

  it("draws per-step lr (with each point's lr range) and training loss only", () => {
    expect(charts.map((c) => c.metric)).toEqual(["lr", "loss"]);
    const [lrA, lrB] = charts[0]!.lines;
    // One seed: the band is the point's own lr range.
    expect(lrB).toMatchObject({ x: [0, 3, 5], y: [0.5, 0.25, 0.125], lo: [0.25, 0.125, 0.125], hi: [0.5, 0.5, 0.125] });
    // Two seeds: the mean lr, the band spanning both seeds' ranges.
    expect(lrA).toMatchObject({ x: [0, 3, 5], y: [1, 0.75, 0.625], lo: [0.25, 0.125, 0.125], hi: [1.5, 1.5, 1.125] });
    expect(charts[1]!.lines[0]).toMatchObject({ y: [3, 2, 1], lo: [2, 1, 0.5], hi: [4, 3, 1.5] });
    expect(charts[1]!.lines[1]!.lo).toBeUndefined();
  });

  it("marks where each epoch begins", () => {
    expect(stepEpochBoundaries(steps)).toEqual([5]);
    expect(stepEpochBoundaries({ x: { ...stepColumns([1, 1, 1]), epoch: [0, 1, 2], step: [0, 7, 14] } })).toEqual([7, 14]);
  });

  it("exports the per-step points with a step column", () => {
    const csv = toCsv(charts, options).trim().split("\n");
    expect(csv[0]).toBe("metric,line,step,value,raw,min,max");
    expect(csv).toContain("lr,Adam,3,0.25,,0.125,0.5");
    expect(csv).toContain("loss,Adam,5,0.6,,,");
    expect(JSON.parse(toJson(charts, options, "t"))).toMatchObject({ xAxis: "step" });
  });
});

describe("chart settings in the URL", () => {
  it("reads good parameters and names bad ones, keeping defaults for those", () => {
    expect(parseViewParams({ x: "time", log: "1", smooth: "0.6", band: "ci95" })).toEqual({
      options: { x: "time", log: true, smoothing: 0.6, band: "ci95" },
      issues: [],
    });
    expect(parseViewParams({ x: "steps", log: "yes", smooth: "2", band: "iqr" })).toEqual({
      options: { x: "epoch", log: false, smoothing: 0, band: "minmax" },
      issues: [
        { path: "x", message: "must be epoch, time or step" },
        { path: "log", message: "must be 0 or 1" },
        { path: "smooth", message: "must be a number from 0 to 0.99" },
        { path: "band", message: "must be one of minmax, std, se, ci95" },
      ],
    });
  });

  it("round-trips through the query string", () => {
    const options = { x: "time" as const, log: true, smoothing: 0.25, band: "se" as const };
    const query = Object.fromEntries(new URLSearchParams(viewQuery(options).slice(1)));
    expect(parseViewParams(query).options).toEqual(options);
    expect(viewQuery({ x: "epoch", log: false, smoothing: 0, band: "minmax" })).toBe("");
  });
});
