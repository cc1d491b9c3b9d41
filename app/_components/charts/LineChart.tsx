"use client";
/**
 * A small SVG line chart (no charting library: the pages' JavaScript budgets are tight).
 * Lines with optional min–max bands and faint raw curves behind smoothed ones, linear or log y,
 * and a hover read-out of every line's value at the pointer's x.
 */
import { useHydrated } from "./useHydrated";
import { useEffect, useId, useMemo, useRef, useState, type PointerEvent } from "react";
import { saveBlob, standaloneSvg, svgToPng } from "./exportChart";
import { compact, extent, linearScale, logScale, nearestIndex, type Scale } from "./scale";

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  /** Ascending. */
  x: readonly number[];
  y: readonly number[];
  /** The unsmoothed values, drawn faintly behind `y`. */
  raw?: readonly number[];
  /** A band (e.g. min and max over seeds). */
  lo?: readonly number[];
  hi?: readonly number[];
}

interface Props {
  title: string;
  series: readonly ChartSeries[];
  xLabel: string;
  logY?: boolean;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  height?: number;
  emptyMessage?: string;
  /** x positions marked with faint vertical lines (e.g. epoch boundaries on a step axis). */
  xMarks?: readonly number[];
  /** Shows PNG and SVG download buttons; the files are named `<exportName>.png` / `.svg`. */
  exportName?: string;
  /** Labelled points drawn over the lines (e.g. an LR test's suggestions). */
  points?: readonly { key: string; label: string; color: string; x: number; y: number }[];
  /** A dot at every data point: for sparse series (an lr sweep), where a lone point has no line. */
  markers?: boolean;
  /**
   * Draws the plot in the browser only, leaving a box of its height in the server's HTML. The plot
   * is sized to its container, which a server cannot know (the browser redraws it at once anyway),
   * and its markup was a third of a cached comparison page: sending it halved the page's req/s.
   */
  drawOnClient?: boolean;
}

/** Until the container is measured (and in server renders). */
const DEFAULT_WIDTH = 720;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 60 };

/** An SVG path through the drawable points, starting a new segment after each gap. */
function linePath(xs: readonly number[], ys: readonly number[], sx: Scale, sy: Scale): string {
  let d = "";
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const px = sx(xs[i]!);
    const py = sy(ys[i]!);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`;
    pen = true;
  }
  return d;
}

function bandPath(xs: readonly number[], lo: readonly number[], hi: readonly number[], sx: Scale, sy: Scale): string {
  const top: string[] = [];
  const bottom: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const px = sx(xs[i]!);
    const a = sy(hi[i]!);
    const b = sy(lo[i]!);
    if (!Number.isFinite(px) || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    top.push(`${px.toFixed(1)},${a.toFixed(1)}`);
    bottom.push(`${px.toFixed(1)},${b.toFixed(1)}`);
  }
  if (top.length < 2) return "";
  return `M${top.join("L")}L${bottom.reverse().join("L")}Z`;
}

export function LineChart({
  title,
  series,
  xLabel,
  logY = false,
  formatX = compact,
  formatY,
  height = 260,
  emptyMessage = "No data yet.",
  xMarks = [],
  exportName,
  points = [],
  markers = false,
  drawOnClient = false,
}: Props) {
  const hydrated = useHydrated();
  const titleId = useId();
  const [hoverX, setHoverX] = useState<number | null>(null);
  // Drawn at the container's real width, so text and lines keep their pixel sizes.
  const box = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const exportSvg = () => standaloneSvg(svgRef.current!.outerHTML, title, series);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };

  const scales = useMemo(() => {
    const xd = extent(series.flatMap((s) => s.x));
    const yValues = series.flatMap((s) => [...s.y, ...(s.raw ?? []), ...(s.lo ?? []), ...(s.hi ?? [])]);
    const yd = extent(yValues, logY);
    if (!xd || !yd) return null;
    const sx = linearScale(xd, [plot.left, plot.right], 6);
    const sy = logY ? logScale(yd, [plot.bottom, plot.top]) : linearScale(yd, [plot.bottom, plot.top], 5);
    return { sx, sy, xd };
  }, [series, logY, plot.left, plot.right, plot.bottom, plot.top]);

  const fmtY = formatY ?? scales?.sy.format ?? compact;

  function onPointerMove(event: PointerEvent<SVGSVGElement>) {
    if (!scales) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * width;
    const [lo, hi] = scales.xd;
    const ratio = (px - plot.left) / (plot.right - plot.left);
    // Invert the x scale through its first and last tick.
    const t0 = scales.sx.ticks[0]!;
    const t1 = scales.sx.ticks[scales.sx.ticks.length - 1]!;
    setHoverX(Math.min(hi, Math.max(lo, t0 + ratio * (t1 - t0))));
  }

  // The hovered x snaps to the nearest real point of any line.
  const readout = useMemo(() => {
    if (hoverX === null || !scales) return null;
    let snapped: number | null = null;
    for (const s of series) {
      const i = nearestIndex(s.x, hoverX);
      if (i >= 0 && (snapped === null || Math.abs(s.x[i]! - hoverX) < Math.abs(snapped - hoverX))) snapped = s.x[i]!;
    }
    if (snapped === null) return null;
    const at = snapped;
    const rows = series.map((s) => {
      // A line that has not reached this x (a run still training) has no value there.
      const inRange = s.x.length > 0 && at >= s.x[0]! && at <= s.x[s.x.length - 1]!;
      const i = nearestIndex(s.x, at);
      return { key: s.key, label: s.label, color: s.color, value: inRange && i >= 0 ? s.y[i]! : null };
    });
    return { x: at, rows };
  }, [hoverX, scales, series]);

  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" aria-labelledby={titleId}>
      <figcaption id={titleId} className="mb-1 flex items-center gap-2 text-sm font-semibold text-slate-700">
        <span className="flex-1">{title}</span>
        {exportName && scales ? (
          <>
            <button
              type="button"
              className="text-xs font-normal text-slate-500 hover:underline"
              aria-label={`Download ${title} as PNG`}
              onClick={() => void svgToPng(exportSvg()).then((png) => saveBlob(`${exportName}.png`, png))}
            >
              PNG
            </button>
            <button
              type="button"
              className="text-xs font-normal text-slate-500 hover:underline"
              aria-label={`Download ${title} as SVG`}
              onClick={() => saveBlob(`${exportName}.svg`, new Blob([exportSvg()], { type: "image/svg+xml" }))}
            >
              SVG
            </button>
          </>
        ) : null}
      </figcaption>
      <div ref={box} />
      {!scales ? (
        <p className="py-10 text-center text-sm text-slate-500">{emptyMessage}</p>
      ) : drawOnClient && !hydrated ? (
        <div style={{ height }} data-chart-placeholder="" />
      ) : (
        <div className="relative">
          <svg
            ref={svgRef}
            viewBox={`0 0 ${width} ${height}`}
            width={width}
            height={height}
            className="block max-w-full touch-none select-none"
            role="img"
            aria-label={`${title}: ${series.length} line${series.length === 1 ? "" : "s"}`}
            onPointerMove={onPointerMove}
            onPointerLeave={() => setHoverX(null)}
          >
            {scales.sy.ticks.map((t) => (
              <g key={`y${t}`}>
                <line x1={plot.left} x2={plot.right} y1={scales.sy(t)} y2={scales.sy(t)} className="stroke-slate-100" />
                <text x={plot.left - 6} y={scales.sy(t)} dy="0.32em" textAnchor="end" className="fill-slate-500 text-[11px]">
                  {scales.sy.format(t)}
                </text>
              </g>
            ))}
            {scales.sx.ticks.map((t) => (
              <text key={`x${t}`} x={scales.sx(t)} y={plot.bottom + 16} textAnchor="middle" className="fill-slate-500 text-[11px]">
                {formatX(t)}
              </text>
            ))}
            <text x={(plot.left + plot.right) / 2} y={height - 4} textAnchor="middle" className="fill-slate-600 text-[11px]">
              {xLabel}
              {logY ? " · log scale" : ""}
            </text>
            <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} className="stroke-slate-300" />
            {xMarks.map((m) => (
              <line
                key={`mark${m}`}
                data-mark={m}
                x1={scales.sx(m)}
                x2={scales.sx(m)}
                y1={plot.top}
                y2={plot.bottom}
                className="stroke-slate-200"
              />
            ))}
            {series.map((s) =>
              s.lo && s.hi ? (
                <path key={`band-${s.key}`} d={bandPath(s.x, s.lo, s.hi, scales.sx, scales.sy)} fill={s.color} opacity={0.15} />
              ) : null,
            )}
            {series.map((s) =>
              s.raw ? (
                <path
                  key={`raw-${s.key}`}
                  d={linePath(s.x, s.raw, scales.sx, scales.sy)}
                  fill="none"
                  stroke={s.color}
                  strokeWidth={1}
                  opacity={0.25}
                />
              ) : null,
            )}
            {series.map((s) => (
              <path
                key={s.key}
                data-series={s.label}
                d={linePath(s.x, s.y, scales.sx, scales.sy)}
                fill="none"
                stroke={s.color}
                strokeWidth={1.75}
                strokeLinejoin="round"
              />
            ))}
            {markers
              ? series.map((s) =>
                  s.x.map((x, i) => {
                    const cx = scales.sx(x);
                    const cy = scales.sy(s.y[i]!);
                    return Number.isFinite(cx) && Number.isFinite(cy) ? (
                      <circle key={`marker-${s.key}-${i}`} data-marker={s.label} cx={cx} cy={cy} r={3} fill={s.color} />
                    ) : null;
                  }),
                )
              : null}
            {points.map((p) => (
              <g key={`point-${p.key}`} data-point={p.key}>
                <circle cx={scales.sx(p.x)} cy={scales.sy(p.y)} r={4.5} fill={p.color} stroke="white" strokeWidth={1.5} />
                <text x={scales.sx(p.x)} y={scales.sy(p.y) - 9} textAnchor="middle" className="text-[11px]" fill={p.color}>
                  {p.label}
                </text>
              </g>
            ))}
            {readout ? (
              <g>
                <line
                  x1={scales.sx(readout.x)}
                  x2={scales.sx(readout.x)}
                  y1={plot.top}
                  y2={plot.bottom}
                  className="stroke-slate-400"
                  strokeDasharray="3 3"
                />
                {readout.rows.map((row) =>
                  row.value !== null && Number.isFinite(scales.sy(row.value)) ? (
                    <circle key={row.key} cx={scales.sx(readout.x)} cy={scales.sy(row.value)} r={3} fill={row.color} />
                  ) : null,
                )}
              </g>
            ) : null}
          </svg>
          {readout ? (
            <div className="pointer-events-none absolute top-1 right-2 max-w-[60%] rounded border border-slate-200 bg-white/95 px-2 py-1 text-xs shadow-sm">
              <div className="font-medium text-slate-700">
                {xLabel} {formatX(readout.x)}
              </div>
              {readout.rows.map((row) => (
                <div key={row.key} className="flex items-center gap-1.5">
                  <span className="inline-block h-2 w-2 shrink-0 rounded-full" style={{ background: row.color }} />
                  <span className="truncate">{row.label}</span>
                  <span className="ml-auto pl-2 font-mono tabular-nums">{row.value === null ? "–" : fmtY(row.value)}</span>
                </div>
              ))}
            </div>
          ) : null}
        </div>
      )}
      <ul aria-label={`${title} legend`} className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span className="inline-block h-0.5 w-4" style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
