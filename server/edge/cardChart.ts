/** Polylines for a share card's chart: each line's points scaled into a w × h box (y up), accuracy on [0, 1]. */
export interface CardLine {
  label: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
}

export function cardPolylines(
  lines: readonly CardLine[],
  width: number,
  height: number,
): { label: string; color: string; points: string }[] {
  const maxX = Math.max(1, ...lines.flatMap((line) => line.x));
  return lines.map((line) => ({
    label: line.label,
    color: line.color,
    points: line.x
      .flatMap((x, i) => {
        const y = line.y[i];
        if (y === undefined || !Number.isFinite(y)) return [];
        const clamped = Math.min(1, Math.max(0, y));
        return [`${((x / maxX) * width).toFixed(1)},${((1 - clamped) * height).toFixed(1)}`];
      })
      .join(" "),
  }));
}
