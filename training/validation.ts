/**
 * The one validation vocabulary: the zod pieces every door (run configs, tRPC inputs, CLI flags,
 * environment variables) builds on, so the same value is accepted, rejected and explained alike
 * everywhere. Messages are phrased to follow a field's path: "epochs: must be ≤ 1000".
 */
import { z } from "zod";

/** `.refine` rather than `.int()`: zod reports `.int()` as a type error ("must be an int"). */
export const integer = (min: number, max: number) =>
  z.number().refine(Number.isInteger, "must be an integer").min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`);

/** A UUID, named for what it identifies ("must be a run id (a UUID)"). */
export const uuid = (what = "a UUID") =>
  z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      what === "a UUID" ? "must be a UUID" : `must be ${what} (a UUID)`,
    );

/** An integer written as text (a CLI flag, an environment variable), in [min, max]. */
export const integerText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((text) => /^-?\d+$/.test(text) && Number(text) >= min && Number(text) <= max, `must be an integer between ${min} and ${max}`)
    .transform(Number);

/** An integer environment variable: `fallback` when unset or blank, else `integerText`'s rule; the error quotes the value. */
export function integerFromEnv(raw: string | undefined, fallback: number, min: number, max: number): number | { error: string } {
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = integerText(min, max).safeParse(raw);
  return parsed.success ? parsed.data : { error: `${parsed.error.issues[0]!.message}, got '${raw.trim()}'` };
}
