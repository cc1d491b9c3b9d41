/**
 * The comparison page's plotted data: one line per config (seeds averaged, with a band of the
 * chosen kind: min–max, ± std, ± standard error or 95% CI), x by epoch, by wall-clock time or by
 * step (the stored per-step lr and training loss), optional smoothing. The charts and the CSV/JSON
 * exports both come from here, so an export holds exactly the numbers on screen.
 */
import type { MetricColumns, PresentedRun } from "../../../server/api/present";
import { bandOf, type Band } from "../../../lib/stats/welch";
import type { StepColumns } from "../../../training/stepCurve";
import { colorAt } from "../charts/colors";

export const METRICS = [
  { key: "lr", title: "Learning rate", logAllowed: true },
  { key: "loss", title: "Train loss", logAllowed: true },
  { key: "valLoss", title: "Validation loss", logAllowed: true },
  { key: "acc", title: "Train accuracy", logAllowed: false },
  { key: "valAcc", title: "Validation accuracy", logAllowed: false },
] as const;
export type MetricKey = (typeof METRICS)[number]["key"];

export const X_AXES = ["epoch", "time", "step"] as const;
export type XAxis = (typeof X_AXES)[number];

export interface PlotOptions {
  x: XAxis;
  /** EMA weight in [0, 1): 0 draws the raw values only. */
  smoothing: number;
  /** The band around a seed group's mean (default min–max). */
  band?: Band;
}

/** The export columns of each band's edges. */
export const BAND_COLUMNS: Record<Band, [string, string]> = {
  minmax: ["min", "max"],
  std: ["mean-std", "mean+std"],
  se: ["mean-se", "mean+se"],
  ci95: ["ci95_low", "ci95_high"],
};

export interface PlotLine {
  key: string;
  label: string;
  color: string;
  /** Epochs completed (1-based), seconds of training since the run started, or a point's first step (0-based). */
  x: number[];
  y: number[];
  /** Unsmoothed y, present when smoothing is on. */
  raw?: number[];
  /** The band's edges over seeds (PlotOptions.band), present when the config ran with several seeds; an lr line's band is its range over the point's steps. */
  lo?: number[];
  hi?: number[];
  seeds: number;
}

export interface PlotChart {
  metric: MetricKey;
  title: string;
  lines: PlotLine[];
}

/** TensorBoard's debiased exponential moving average (NaN and ±∞ pass through untouched). */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n += 1;
    return last / (1 - weight ** n);
  });
}

const cumulative = (seconds: readonly number[]) => {
  let total = 0;
  return seconds.map((s) => (total += s));
};

/** One line per config group: the mean over its runs of the values at each index, with their range. */
function groupLines(
  runs: readonly PresentedRun[],
  series: (run: PresentedRun) => { x: number[]; y: number[]; lo?: number[]; hi?: number[] } | undefined,
  options: PlotOptions,
): PlotLine[] {
  const groups = new Map<string, PresentedRun[]>();
  for (const run of runs) groups.set(run.group, [...(groups.get(run.group) ?? []), run]);
  return [...groups.values()].map((members, g) => {
    const columns = members.map(series).filter((c) => c !== undefined);
    const length = Math.max(0, ...columns.map((c) => c.x.length));
    const x: number[] = [];
    const y: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (let k = 0; k < length; k++) {
      const present = columns.filter((c) => k < c.x.length);
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const values = present.map((c) => c.y[k]!);
      x.push(mean(present.map((c) => c.x[k]!)));
      y.push(mean(values));
      if (present.some((c) => c.lo)) {
        // Ranges within a point (an epoch's or a step group's lr swing) span every seed's range.
        lo.push(Math.min(...present.map((c) => (c.lo ?? c.y)[k]!)));
        hi.push(Math.max(...present.map((c) => (c.hi ?? c.y)[k]!)));
      } else {
        // A point only one seed has reached gets no width.
        const edges = bandOf(values, options.band ?? "minmax") ?? { lo: values[0]!, hi: values[0]! };
        lo.push(edges.lo);
        hi.push(edges.hi);
      }
    }
    const first = members[0]!;
    const seeds = members.length;
    const line: PlotLine = {
      key: first.group,
      label: seeds > 1 ? `${first.label} (${seeds} seeds)` : first.label,
      color: colorAt(g),
      x,
      y: smooth(y, options.smoothing),
      seeds,
    };
    if (options.smoothing > 0) line.raw = y;
    if (seeds > 1 || columns.some((c) => c.lo)) Object.assign(line, { lo, hi });
    return line;
  });
}

/** Per-epoch columns; `lrMin`/`lrMax`: each epoch's lr range over its steps (NaN where none was stored). */
export type EpochColumns = MetricColumns & { lrMin?: number[]; lrMax?: number[] };

/**
 * Lines for one metric by epoch or time: one per config group, in the order the runs are listed.
 * The lr line's band is each epoch's lr range, so cyclic and one-cycle schedules show their swing.
 */
export function buildLines(
  runs: readonly PresentedRun[],
  metrics: Readonly<Record<string, EpochColumns>>,
  metric: MetricKey,
  options: PlotOptions,
): PlotLine[] {
  return groupLines(
    runs,
    (run) => {
      const c = metrics[run.id];
      if (!c) return undefined;
      const x = options.x === "epoch" ? c.epoch.map((e) => e + 1) : cumulative(c.seconds);
      if (metric !== "lr" || !c.lrMin || !c.lrMax) return { x, y: c[metric] };
      const or = (values: number[]) => values.map((v, i) => (Number.isFinite(v) ? v : c.lr[i]!));
      return { x, y: c.lr, lo: or(c.lrMin), hi: or(c.lrMax) };
    },
    options,
  );
}

/** The metrics stored per step. */
export const STEP_METRICS = ["lr", "loss"] as const satisfies readonly MetricKey[];

/** Lines for lr or training loss by step; the lr line carries each point's lr range as its band. */
export function buildStepLines(
  runs: readonly PresentedRun[],
  steps: Readonly<Record<string, StepColumns>>,
  metric: (typeof STEP_METRICS)[number],
  options: PlotOptions,
): PlotLine[] {
  return groupLines(
    runs,
    (run) => {
      const c = steps[run.id];
      if (!c) return undefined;
      return metric === "lr" ? { x: c.step, y: c.lr, lo: c.lrMin, hi: c.lrMax } : { x: c.step, y: c.loss };
    },
    options,
  );
}

/** The steps where an epoch begins (after the first), over every run's curve: the step axis marks them. */
export function stepEpochBoundaries(steps: Readonly<Record<string, StepColumns>>): number[] {
  const marks = new Set<number>();
  for (const c of Object.values(steps)) {
    for (let i = 1; i < c.epoch.length; i++) if (c.epoch[i] !== c.epoch[i - 1]) marks.add(c.step[i]!);
  }
  return [...marks].sort((a, b) => a - b);
}

/** Every chart of the view; on the step axis only the per-step metrics (`steps` from metrics.stepsForComparison). */
export function buildCharts(
  runs: readonly PresentedRun[],
  metrics: Readonly<Record<string, EpochColumns>>,
  options: PlotOptions,
  steps: Readonly<Record<string, StepColumns>> = {},
): PlotChart[] {
  if (options.x === "step") {
    return STEP_METRICS.map((key) => ({
      metric: key,
      title: METRICS.find((m) => m.key === key)!.title,
      lines: buildStepLines(runs, steps, key, options),
    }));
  }
  return METRICS.map((m) => ({ metric: m.key, title: m.title, lines: buildLines(runs, metrics, m.key, options) }));
}

const xAxisName = (x: XAxis) => (x === "time" ? "seconds" : x);
const cell = (v: number | undefined) => (v === undefined ? "" : String(v));
const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One row per plotted point: chart, line, x, y, and the raw value and band edges when drawn. */
export function toCsv(charts: readonly PlotChart[], options: PlotOptions): string {
  const xName = xAxisName(options.x);
  const rows = [`metric,line,${xName},value,raw,${BAND_COLUMNS[options.band ?? "minmax"].join(",")}`];
  for (const chart of charts) {
    for (const line of chart.lines) {
      line.x.forEach((x, i) => {
        rows.push(
          [chart.metric, quote(line.label), cell(x), cell(line.y[i]), cell(line.raw?.[i]), cell(line.lo?.[i]), cell(line.hi?.[i])].join(
            ",",
          ),
        );
      });
    }
  }
  return `${rows.join("\n")}\n`;
}

/** The same numbers as JSON (NaN and ±∞, which JSON cannot hold, become null). */
export function toJson(charts: readonly PlotChart[], options: PlotOptions, title: string): string {
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  const band = options.band ?? "minmax";
  const [low, high] = BAND_COLUMNS[band];
  return JSON.stringify(
    {
      title,
      xAxis: xAxisName(options.x),
      smoothing: options.smoothing,
      band,
      charts: charts.map((chart) => ({
        metric: chart.metric,
        title: chart.title,
        lines: chart.lines.map((line) => ({
          label: line.label,
          seeds: line.seeds,
          points: line.x.map((x, i) => ({
            x,
            value: num(line.y[i]),
            ...(line.raw ? { raw: num(line.raw[i]) } : {}),
            ...(line.lo && line.hi ? { [low]: num(line.lo[i]), [high]: num(line.hi[i]) } : {}),
          })),
        })),
      })),
    },
    null,
    2,
  );
}
