/**
 * Chart settings carried in the page's URL (?x=time&log=1&smooth=0.6), so a link reproduces the
 * view. Each parameter is checked on its own: a bad one is reported by name and falls back to
 * its default, the good ones still apply.
 */
import { z } from "zod";
import type { FieldIssue } from "../../../training/errors";
import { BANDS } from "../../../lib/stats/welch";
import { X_AXES } from "./series";
import { DEFAULT_VIEW, type ViewOptions } from "./viewQuery";

const params = {
  x: z.enum(X_AXES, { error: "must be epoch, time or step" }),
  band: z.enum(BANDS, { error: `must be one of ${BANDS.join(", ")}` }),
  log: z.enum(["0", "1"], { error: "must be 0 or 1" }).transform((v) => v === "1"),
  smooth: z
    .string()
    .regex(/^\d*\.?\d+$/, "must be a number from 0 to 0.99")
    .transform(Number)
    .pipe(z.number().max(0.99, "must be a number from 0 to 0.99")),
};

export function parseViewParams(search: Record<string, string | string[] | undefined>): { options: ViewOptions; issues: FieldIssue[] } {
  const options = { ...DEFAULT_VIEW };
  const issues: FieldIssue[] = [];
  const one = (name: string) => {
    const value = search[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const read = <S extends z.ZodType>(name: keyof typeof params, schema: S, apply: (value: z.output<S>) => void) => {
    const raw = one(name);
    if (raw === undefined) return;
    const result = schema.safeParse(raw);
    if (result.success) apply(result.data);
    else issues.push({ path: name, message: result.error.issues[0]?.message ?? "is invalid" });
  };
  read("x", params.x, (x) => (options.x = x));
  read("log", params.log, (log) => (options.log = log));
  read("smooth", params.smooth, (smoothing) => (options.smoothing = smoothing));
  read("band", params.band, (band) => (options.band = band));
  return { options, issues };
}
