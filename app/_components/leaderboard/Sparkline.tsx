/** A tiny SVG line of mean val accuracy per epoch (server-rendered; no script). */
export function Sparkline({
  values,
  width = 96,
  height = 24,
  label,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
  label: string;
}) {
  const points = values.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v));
  if (points.length < 2) return <span className="text-xs text-slate-400">–</span>;
  const ys = points.map(([, v]) => v);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  const last = Math.max(1, values.length - 1);
  const d = points
    .map(
      ([i, v], k) =>
        `${k === 0 ? "M" : "L"}${((i / last) * (width - 2) + 1).toFixed(1)},${(height - 1 - ((v - lo) / span) * (height - 2)).toFixed(1)}`,
    )
    .join("");
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="text-sky-600">
      <title>{label}</title>
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
