/**
 * The slice endpoint's query string, checked strictly: `split` is train or test, `offset` a
 * plain non-negative integer, `count` a plain integer from 1 to MAX_SLICE_EXAMPLES. No signs,
 * exponents, hex, blanks or repeated parameters; every problem is named in the 400's message.
 */
import { MAX_SLICE_EXAMPLES, SplitNameSchema, type SliceRequest } from "../../../training/data/node";
import type { FieldIssue } from "../../../training/errors";

const DIGITS = /^[0-9]{1,9}$/;

export function parseSliceQuery(
  params: URLSearchParams,
): { ok: true; request: Omit<SliceRequest, "dataDir"> } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const one = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length === 0) issues.push({ path: name, message: "is required" });
    else if (values.length > 1) issues.push({ path: name, message: "must be given once" });
    return values.length === 1 ? values[0] : undefined;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const raw = one(name);
    if (raw === undefined) return undefined;
    if (!DIGITS.test(raw)) {
      issues.push({ path: name, message: `must be a whole number from ${min} to ${max}, got '${raw.slice(0, 40)}'` });
      return undefined;
    }
    const n = Number(raw);
    if (n < min || n > max) issues.push({ path: name, message: `must be from ${min} to ${max}, got ${n}` });
    return n;
  };
  const rawSplit = one("split");
  const split = rawSplit === undefined ? undefined : SplitNameSchema.safeParse(rawSplit);
  if (split && !split.success) issues.push({ path: "split", message: `must be train or test, got '${rawSplit!.slice(0, 40)}'` });
  const offset = integer("offset", 0, 999_999_999);
  const count = integer("count", 1, MAX_SLICE_EXAMPLES);
  for (const name of new Set(params.keys())) {
    if (!["split", "offset", "count"].includes(name))
      issues.push({ path: name.slice(0, 40), message: "is not a parameter of this endpoint" });
  }
  if (issues.length > 0 || !split?.success || offset === undefined || count === undefined) return { ok: false, issues };
  return { ok: true, request: { split: split.data, offset, count } };
}
