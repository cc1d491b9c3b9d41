/**
 * Seeded randomness. Every random choice in training (init, dropout masks, shuffles,
 * augmentation) derives from (run seed, purpose, epoch/step), so a resumed run needs no
 * RNG position beyond the step it resumes at.
 */

/** Mixes integers into one unsigned 32-bit seed (murmur3 finaliser over each part). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
    // Parts above 2^32 (rare: seeds are validated as 32-bit) still influence the hash.
    h ^= Math.floor(part / 0x100000000) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: a small, fast generator of uniforms in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle driven by `rand`. */
export function shuffleInPlace(items: unknown[] | Uint32Array | Int32Array, rand: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/** Seed purposes, so that streams for different jobs never coincide. */
export const SeedPurpose = {
  init: 1,
  dropout: 2,
  shuffle: 3,
  augment: 4,
  prepare: 5,
} as const;
