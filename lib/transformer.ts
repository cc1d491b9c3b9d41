/**
 * The one superjson instance for tRPC and for dehydrating server-fetched queries into pages.
 * superjson records every NaN in a number array as its own meta entry (and React's flight format
 * repeats a path per entry), so a comparison's metric columns, where NaN marks "not measured",
 * made its cached page mostly meta: 200 KB of 295 KB for 8 runs × 30 epochs. Here such an array
 * is sent once as numbers with null for NaN, and one meta entry for the whole array.
 */
import { SuperJSON } from "superjson";

export const transformer = new SuperJSON();

const hasNaN = (value: unknown): value is number[] =>
  Array.isArray(value) && value.some((x) => Number.isNaN(x)) && value.every((x) => typeof x === "number");

transformer.registerCustom<number[], (number | null)[]>(
  {
    isApplicable: hasNaN,
    serialize: (column) => column.map((x) => (Number.isNaN(x) ? null : x)),
    deserialize: (column) => column.map((x) => (x === null ? Number.NaN : x)),
  },
  "numbers-with-nan",
);
