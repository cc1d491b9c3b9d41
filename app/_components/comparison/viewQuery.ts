/** Chart settings ↔ the page's query string (parsing, with zod, is server-side in ./viewParams.ts). */
import type { PlotOptions } from "./series";

export interface ViewOptions extends PlotOptions {
  log: boolean;
}

export const DEFAULT_VIEW: ViewOptions = { x: "epoch", smoothing: 0, log: false, band: "minmax" };

/** The query string for `options`, leaving defaults out. */
export function viewQuery(options: ViewOptions): string {
  const query = new URLSearchParams();
  if (options.x !== DEFAULT_VIEW.x) query.set("x", options.x);
  if (options.log) query.set("log", "1");
  if (options.smoothing > 0) query.set("smooth", String(options.smoothing));
  if (options.band && options.band !== DEFAULT_VIEW.band) query.set("band", options.band);
  const text = query.toString();
  return text ? `?${text}` : "";
}
