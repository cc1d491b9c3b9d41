import { expect } from "vitest";

/** The contract's tolerance: 1e-9 relative (plus a hair absolute, for expected zeros). */
export function expectClose(actual: number, expected: number, rel = 1e-9): void {
  const ok = Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-15;
  if (!ok) expect.fail(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
}

/** Two per-epoch tables (`[epoch][step]`) of the same shape, value by value to `expectClose`'s tolerance. */
export function expectTableClose(actual: readonly (readonly (number | null)[])[], expected: readonly (readonly number[])[]): void {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  expected.forEach((row, e) => row.forEach((value, k) => expectClose(actual[e]![k]!, value)));
}
