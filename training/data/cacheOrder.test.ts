import { describe, expect, it } from "vitest";
import { balancedOrder, cacheOrderSeed } from "./cacheOrder";
import { countPerClass } from "./classes";

/** Labels sorted by class, as a source delivers them: 0,0,…,1,1,…,9. */
function sortedLabels(perClass: number): Uint8Array {
  return Uint8Array.from({ length: perClass * 10 }, (_, i) => Math.floor(i / perClass));
}

describe("balancedOrder", () => {
  const labels = sortedLabels(500);
  const order = balancedOrder(labels, cacheOrderSeed("train"));

  it("is a permutation", () => {
    expect([...order].sort((a, b) => a - b)).toEqual([...labels.keys()]);
  });

  it("is fixed for a seed and differs between seeds", () => {
    expect(balancedOrder(labels, cacheOrderSeed("train"))).toEqual(order);
    expect(balancedOrder(labels, cacheOrderSeed("test"))).not.toEqual(order);
  });

  it("makes every prefix nearly class-balanced", () => {
    for (const n of [10, 100, 250, 1000, 2345]) {
      const prefix = Uint8Array.from(order.subarray(0, n), (i) => labels[i]!);
      for (const count of countPerClass(prefix)) expect(Math.abs(count - n / 10)).toBeLessThanOrEqual(1);
    }
  });

  it("keeps class proportions when classes are unequal", () => {
    const uneven = Uint8Array.from([...Array(300).fill(0), ...Array(100).fill(1)]);
    const o = balancedOrder(uneven, 7);
    const prefix = Uint8Array.from(o.subarray(0, 40), (i) => uneven[i]!);
    expect(countPerClass(prefix).slice(0, 2)).toEqual([30, 10]);
  });

  it("has no fixed period", () => {
    // Classes at positions 0–9 and 10–19 should not repeat in the same sequence.
    const classes = (from: number) => [...order.subarray(from, from + 10)].map((i) => labels[i]);
    expect(classes(0)).not.toEqual(classes(10));
  });
});
