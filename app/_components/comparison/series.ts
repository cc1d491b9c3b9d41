/**
 * The comparison page's plotted data: one line per config (seeds averaged, with a band of the
 * chosen kind: min–max, ± std, ± standard error or 95% CI),
 * x by epoch or by wall-clock time, optional smoothing. The charts and the CSV/JSON exports both
 * come from here, so an export holds exactly the numbers on screen.
 */
import type { MetricColumns, PresentedRun } from "../../../server/api/present";
import { bandOf, type Band } from "../../../server/leaderboard/welch";
import { colorAt } from "../charts/colors";

export const METRICS = [
  { key: "lr", title: "Learning rate", logAllowed: true },
  { key: "loss", title: "Train loss", logAllowed: true },
  { key: "valLoss", title: "Validation loss", logAllowed: true },
  { key: "acc", title: "Train accuracy", logAllowed: false },
  { key: "valAcc", title: "Validation accuracy", logAllowed: false },
] as const;
export type MetricKey = (typeof METRICS)[number]["key"];

export const X_AXES = ["epoch", "time"] as const;
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
  /** Epochs completed (1-based) or seconds of training since the run started. */
  x: number[];
  y: number[];
  /** Unsmoothed y, present when smoothing is on. */
  raw?: number[];
  /** The band's edges over seeds (PlotOptions.band), present when the config ran with several seeds. */
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

/** Lines for one metric: one per config group, in the order the runs are listed. */
export function buildLines(
  runs: readonly PresentedRun[],
  metrics: Readonly<Record<string, MetricColumns>>,
  metric: MetricKey,
  options: PlotOptions,
): PlotLine[] {
  const groups = new Map<string, PresentedRun[]>();
  for (const run of runs) groups.set(run.group, [...(groups.get(run.group) ?? []), run]);
  return [...groups.values()].map((members, g) => {
    const columns = members.map((run) => metrics[run.id]).filter((c): c is MetricColumns => c !== undefined);
    const length = Math.max(0, ...columns.map((c) => c.epoch.length));
    const x: number[] = [];
    const y: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    const times = columns.map((c) => cumulative(c.seconds));
    for (let k = 0; k < length; k++) {
      const values: number[] = [];
      const xs: number[] = [];
      columns.forEach((c, m) => {
        if (k >= c.epoch.length) return;
        values.push(c[metric][k]!);
        xs.push(options.x === "epoch" ? c.epoch[k]! + 1 : times[m]![k]!);
      });
      x.push(xs.reduce((a, b) => a + b, 0) / xs.length);
      y.push(values.reduce((a, b) => a + b, 0) / values.length);
      // A point only one seed has reached gets no width.
      const edges = bandOf(values, options.band ?? "minmax") ?? { lo: values[0]!, hi: values[0]! };
      lo.push(edges.lo);
      hi.push(edges.hi);
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
    if (seeds > 1) Object.assign(line, { lo, hi });
    return line;
  });
}

export function buildCharts(
  runs: readonly PresentedRun[],
  metrics: Readonly<Record<string, MetricColumns>>,
  options: PlotOptions,
): PlotChart[] {
  return METRICS.map((m) => ({ metric: m.key, title: m.title, lines: buildLines(runs, metrics, m.key, options) }));
}

const cell = (v: number | undefined) => (v === undefined ? "" : String(v));
const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One row per plotted point: chart, line, x, y, and the raw value and band edges when drawn. */
export function toCsv(charts: readonly PlotChart[], options: PlotOptions): string {
  const xName = options.x === "epoch" ? "epoch" : "seconds";
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
      xAxis: options.x === "epoch" ? "epoch" : "seconds",
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
