import { z } from "zod";

/** Limits shared by the schedule fields. */
export const MAX_LR = 1000;
export const MAX_EPOCH_COUNT = 100_000;
/** Step counts (cyclic half-cycles) are batches, so they may run far past epoch counts. */
export const MAX_STEP_COUNT = 100_000_000;
export const MAX_LIST_LENGTH = 1000;

/**
 * A finite number (zod 4 rejects ±Infinity and NaN itself). Type errors keep zod's own wording,
 * which `zodIssues` turns into "is required" / "must be a number".
 */
export const finiteNumber = () => z.number();

/** An lr-like value: finite, > 0, ≤ max. */
export const positive = (max = MAX_LR) => finiteNumber().gt(0, "must be > 0").max(max, `must be ≤ ${max}`);

/** A finite value in [0, max]. */
export const nonNegative = (max = MAX_LR) => finiteNumber().min(0, "must be ≥ 0").max(max, `must be ≤ ${max}`);

export { integer } from "../validation";

/** A list whose entries must be strictly increasing; the issue names the offending entry. */
export const ascendingList = <T extends z.ZodType<number>>(item: T, listName: string) =>
  z
    .array(item)
    .max(MAX_LIST_LENGTH, `must have at most ${MAX_LIST_LENGTH} entries`)
    .superRefine((list, ctx) => {
      for (let i = 1; i < list.length; i++) {
        if (list[i]! <= list[i - 1]!) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `must be > ${list[i - 1]} (${listName} must be ascending)`,
          });
        }
      }
    });
