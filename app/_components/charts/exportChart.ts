/**
 * A chart as a file: the drawn SVG made standalone (namespace, white background, title, legend,
 * and the page's Tailwind classes it uses as an embedded style sheet), and as PNG rendered from
 * that SVG. The SVG holds exactly the paths on screen.
 */

export interface LegendEntry {
  label: string;
  color: string;
}

/** The Tailwind classes the chart's SVG uses, as plain CSS (slate palette of Tailwind 4). */
const STYLE = `
.stroke-slate-100{stroke:#f1f5f9}.stroke-slate-300{stroke:#cbd5e1}.stroke-slate-400{stroke:#94a3b8}
.fill-slate-500{fill:#64748b}.fill-slate-600{fill:#475569}.text-\\[11px\\]{font-size:11px}
text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}`;

const TITLE_HEIGHT = 24;
const LEGEND_ROW = 18;

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/** `svg`: the chart's `<svg …>…</svg>` markup (outerHTML or server-rendered) with its width and height attributes. */
export function standaloneSvg(svg: string, title: string, legend: readonly LegendEntry[]): string {
  const open = /^<svg\b[^>]*>/.exec(svg.trim());
  if (!open) throw new Error("not an <svg> element");
  const width = Number(/\bwidth="([\d.]+)"/.exec(open[0])?.[1]);
  const height = Number(/\bheight="([\d.]+)"/.exec(open[0])?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("the <svg> has no width and height");
  const inner = svg.trim().slice(open[0].length, -"</svg>".length);
  const total = TITLE_HEIGHT + height + LEGEND_ROW * legend.length + 8;
  const items = legend
    .map((entry, i) => {
      const y = TITLE_HEIGHT + height + LEGEND_ROW * i + 12;
      return (
        `<line x1="12" x2="32" y1="${y}" y2="${y}" stroke="${escapeXml(entry.color)}" stroke-width="2"/>` +
        `<text x="38" y="${y}" dy="0.32em" font-size="12" fill="#475569">${escapeXml(entry.label)}</text>`
      );
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}">` +
    `<style>${STYLE}</style><rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="12" y="16" font-size="14" font-weight="600" fill="#334155">${escapeXml(title)}</text>` +
    `<g transform="translate(0 ${TITLE_HEIGHT})">${inner}</g>${items}</svg>`
  );
}

/** Browser only: the standalone SVG drawn on a canvas at `scale`× as a PNG. */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d canvas");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Browser only: saves `blob` as `name`. */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
