import { expect } from "vitest";

/** The contract's tolerance: 1e-9 relative (plus a hair absolute, for expected zeros). */
export function expectClose(actual: number, expected: number, rel = 1e-9): void {
  const ok = Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-15;
  if (!ok) expect.fail(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
}
