/**
 * The fixed example order inside the cache: a seeded shuffle that spreads every class evenly,
 * so any prefix (e.g. trainLimit = 2000) is a nearly class-balanced subset. Pure; browser-safe.
 */
import { NUM_CLASSES } from "./classes";
import { deriveSeed, rng, SeedPurpose, shuffleInPlace } from "../rng";
import type { SplitName } from "./split";

/** Seed of the cache order of a split; recorded in the manifest. */
export function cacheOrderSeed(split: SplitName): number {
  return deriveSeed(SeedPurpose.prepare, split === "train" ? 0 : 1);
}

/**
 * Returns `order` with order[k] = index of the example stored at position k.
 * Each class is shuffled, and its r-th member (of n) gets the key (r + u) / n with u uniform
 * in [0, 1); sorting by key interleaves classes in proportion with no fixed period.
 */
export function balancedOrder(labels: Uint8Array, seed: number): Uint32Array {
  const rand = rng(seed);
  const members: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  labels.forEach((label, i) => members[label]!.push(i));
  const keys = new Float64Array(labels.length);
  for (const group of members) {
    shuffleInPlace(group, rand);
    group.forEach((index, rank) => {
      keys[index] = (rank + rand()) / group.length;
    });
  }
  const order = Uint32Array.from(labels.keys());
  return order.sort((a, b) => keys[a]! - keys[b]! || a - b);
}
