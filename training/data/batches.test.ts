import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { rng } from "../rng";
import { AUGMENT_PAD } from "./augment";
import { batchCount, evalBatches, iterateBatches, type Batch, type BatchOptions } from "./batches";
import { IMAGE_BYTES } from "./classes";
import type { Split } from "./split";

/** Random pixels; bytes 0 and 1 of image i encode i, so a batch row names its example. */
function makeSplit(count: number, seed = 1): Split {
  const rand = rng(seed);
  const images = Uint8Array.from({ length: count * IMAGE_BYTES }, () => Math.floor(rand() * 256));
  for (let i = 0; i < count; i++) {
    images[i * IMAGE_BYTES] = i % 256;
    images[i * IMAGE_BYTES + 1] = Math.floor(i / 256);
  }
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10);
  return { images, labels, count };
}

const exampleIds = (batches: Batch[]) =>
  batches.flatMap((b) =>
    Array.from({ length: b.size }, (_, i) => Math.round(b.x[i * IMAGE_BYTES]! * 255) + 256 * Math.round(b.x[i * IMAGE_BYTES + 1]! * 255)),
  );

const all = (split: Split, opts: BatchOptions) => [...iterateBatches(split, opts)];
const sameBits = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
const base: BatchOptions = { batchSize: 16, seed: 42, epoch: 0, shuffle: true, augment: false };

/** Independent reference: pad by 4 with zeros into a 40×40 image, crop at (ox, oy), maybe mirror. */
function referenceAugment(src: Uint8Array, ox: number, oy: number, flip: boolean): Float32Array {
  const size = 32 + 2 * AUGMENT_PAD;
  const padded = new Uint8Array(size * size * 3);
  for (let r = 0; r < 32; r++) padded.set(src.subarray(r * 96, r * 96 + 96), ((r + AUGMENT_PAD) * size + AUGMENT_PAD) * 3);
  const out = new Float32Array(IMAGE_BYTES);
  for (let r = 0; r < 32; r++)
    for (let c = 0; c < 32; c++)
      for (let ch = 0; ch < 3; ch++) {
        const cc = flip ? 31 - c : c;
        out[(r * 32 + c) * 3 + ch] = padded[((r + oy) * size + cc + ox) * 3 + ch]! / 255;
      }
  return out;
}

describe("batchCount", () => {
  it("counts the last partial batch", () => {
    expect(batchCount(10, 3)).toBe(4);
    expect(batchCount(9, 3)).toBe(3);
    expect(batchCount(0, 5)).toBe(0);
    expect(() => batchCount(10, 0)).toThrow(/batchSize must be a positive integer/);
  });
});

describe("iterateBatches", () => {
  const split = makeSplit(100);

  it("keeps the stored order without shuffle and scales pixels to [0, 1] exactly", () => {
    const batches = all(split, { ...base, shuffle: false });
    expect(batches.map((b) => b.size)).toEqual([16, 16, 16, 16, 16, 16, 4]);
    expect(exampleIds(batches)).toEqual([...Array(100).keys()]);
    const third = batches[2]!; // examples 32–47
    for (let i = 0; i < 3 * IMAGE_BYTES; i += 997) {
      expect(third.x[i]).toBe(Math.fround(split.images[32 * IMAGE_BYTES + i]! / 255));
    }
    expect([...third.y]).toEqual([...split.labels.subarray(32, 48)]);
    const edge = makeSplit(1);
    edge.images.fill(0, 0, 10);
    edge.images.fill(255, 10, 20);
    const x = all(edge, { ...base, batchSize: 1 })[0]!.x;
    expect([x[0], x[9], x[10], x[19]]).toEqual([0, 0, 1, 1]);
    expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("shuffles into a permutation that differs by epoch and by seed", () => {
    const ids = exampleIds(all(split, base));
    expect([...ids].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(ids).not.toEqual([...Array(100).keys()]);
    expect(exampleIds(all(split, base))).toEqual(ids);
    expect(exampleIds(all(split, { ...base, epoch: 1 }))).not.toEqual(ids);
    expect(exampleIds(all(split, { ...base, seed: 43 }))).not.toEqual(ids);
  });

  it("labels follow their images through the shuffle", () => {
    for (const batch of all(split, base)) {
      const ids = exampleIds([batch]);
      expect([...batch.y]).toEqual(ids.map((id) => split.labels[id]));
    }
  });

  it("augments by zero-padded crops and flips, with both flips and all shifts occurring", () => {
    const plain = all(split, { ...base, epoch: 3 });
    const augmented = all(split, { ...base, epoch: 3, augment: true });
    const ids = exampleIds(plain);
    const seen = { flips: 0, offsets: new Set<string>() };
    augmented.forEach((batch, b) => {
      expect([...batch.y]).toEqual([...plain[b]!.y]);
      for (let i = 0; i < batch.size; i++) {
        const id = ids[b * 16 + i]!;
        const got = batch.x.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
        const src = split.images.subarray(id * IMAGE_BYTES, (id + 1) * IMAGE_BYTES);
        const matches: string[] = [];
        for (let ox = 0; ox <= 8; ox++)
          for (let oy = 0; oy <= 8; oy++)
            for (const flip of [false, true])
              if (referenceAugment(src, ox, oy, flip).every((v, k) => Math.fround(v) === got[k])) matches.push(`${ox},${oy},${flip}`);
        expect(matches).toHaveLength(1);
        if (matches[0]!.endsWith("true")) seen.flips++;
        seen.offsets.add(matches[0]!.split(",").slice(0, 2).join(","));
      }
    });
    expect(seen.flips).toBeGreaterThan(30);
    expect(seen.flips).toBeLessThan(70);
    expect(seen.offsets.size).toBeGreaterThan(40); // of 81 possible crops, over 100 draws
  });

  it("is deterministic given seed and epoch, and changes with either", () => {
    const opts = { ...base, augment: true };
    const a = all(split, opts);
    const b = all(split, opts);
    a.forEach((batch, i) => {
      expect(sameBits(batch.x, b[i]!.x)).toBe(true);
      expect(batch.y).toEqual(b[i]!.y);
    });
    const c = all(split, { ...opts, epoch: 1, shuffle: false });
    const d = all(split, { ...opts, epoch: 2, shuffle: false });
    const e = all(split, { ...opts, seed: 7, epoch: 1, shuffle: false });
    expect(sameBits(c[0]!.x, d[0]!.x)).toBe(false);
    expect(sameBits(c[0]!.x, e[0]!.x)).toBe(false);
  });

  it("resuming at startBatch reproduces the uninterrupted pass bit for bit", () => {
    const opts = { ...base, batchSize: 7, epoch: 5, augment: true };
    const full = all(split, opts);
    for (const start of [1, 6, 14, 15]) {
      const resumed = all(split, { ...opts, startBatch: start });
      expect(resumed).toHaveLength(full.length - start);
      resumed.forEach((batch, i) => {
        const original = full[start + i]!;
        expect(batch.size).toBe(original.size);
        expect(sameBits(batch.x, original.x)).toBe(true);
        expect(batch.y).toEqual(original.y);
      });
    }
  });

  it("evalBatches is the stored order without augmentation", () => {
    const a = [...evalBatches(split, 32)];
    const b = all(split, { ...base, batchSize: 32, shuffle: false, augment: false, seed: 999, epoch: 9 });
    expect(a.map((batch) => batch.size)).toEqual([32, 32, 32, 4]);
    a.forEach((batch, i) => {
      expect(sameBits(batch.x, b[i]!.x)).toBe(true);
      expect(batch.y).toEqual(b[i]!.y);
    });
  });

  it("rejects bad options before the first batch", () => {
    expect(() => iterateBatches(split, { ...base, batchSize: 0 })).toThrow(ValidationError);
    expect(() => iterateBatches(split, { ...base, epoch: -1 })).toThrow(/batches\.epoch/);
    expect(() => iterateBatches(split, { ...base, startBatch: 8 })).toThrow(
      /startBatch 8 is past the end of the epoch: 100 examples make 7 batches of 16/,
    );
    expect(all(split, { ...base, startBatch: 7 })).toEqual([]);
    expect(() => iterateBatches({ ...split, count: 101 }, base)).toThrow(/claims 101 examples/);
  });
});
