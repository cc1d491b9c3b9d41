/** The fields in which two run configs differ, for a side-by-side view. Pure. */

export interface FieldDifference {
  /** Dotted path of the leaf, e.g. `schedule.lr` or `optimizer.momentum`. */
  path: string;
  /** The value on each side; undefined where the field is absent. */
  a: unknown;
  b: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Leaves of both configs that differ, in sorted path order. Arrays are compared whole; an object against a non-object is one field. */
export function configDiff(a: unknown, b: unknown, prefix = ""): FieldDifference[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => configDiff(a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, a, b }];
}
