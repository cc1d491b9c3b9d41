import { describe, expect, it } from "vitest";
import { IMAGE_BYTES } from "./classes";
import { holdOutValidation, validationIndices } from "./holdOut";

describe("validation split", () => {
  it("holds out the last size/10 images of each class, in stored order", () => {
    // Labels 0..9 repeated four times: class c sits at c, c+10, c+20, c+30.
    const labels = Array.from({ length: 40 }, (_, i) => i % 10);
    const { val, train } = validationIndices(labels, 20);
    const expected = Array.from({ length: 10 }, (_, c) => [c + 20, c + 30])
      .flat()
      .sort((a, b) => a - b);
    expect(val).toEqual(expected);
    expect(train).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("balances classes whatever their order, and copies the images it picks", () => {
    // Class c appears c + 2 times, classes interleaved irregularly.
    const labels: number[] = [];
    for (let round = 0; round < 11; round++) for (let c = 9; c >= 0; c--) if (round < c + 2) labels.push(c);
    const images = new Uint8Array(labels.length * IMAGE_BYTES);
    labels.forEach((_, i) => (images[i * IMAGE_BYTES] = i));
    const { train, val } = holdOutValidation({ images, labels: Uint8Array.from(labels), count: labels.length }, 10);
    expect(val.count).toBe(10);
    expect([...val.labels].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(train.count).toBe(labels.length - 10);
    for (let c = 0; c < 10; c++) {
      // The held-out one is the last of its class.
      const last = labels.lastIndexOf(c);
      const k = [...val.labels].indexOf(c);
      expect(val.images[k * IMAGE_BYTES]).toBe(last);
    }
    const trainIds = new Set(Array.from({ length: train.count }, (_, i) => train.images[i * IMAGE_BYTES]));
    for (let k = 0; k < 10; k++) expect(trainIds.has(val.images[k * IMAGE_BYTES])).toBe(false);
  });

  it("names the field when the split cannot be made", () => {
    const labels = Array.from({ length: 30 }, (_, i) => i % 10);
    expect(() => validationIndices(labels, 15)).toThrow(/valSplit: must be a positive multiple of 10/);
    expect(() => validationIndices(labels, 30)).toThrow(/valSplit: 30 needs more than 3 training images of class 0, there are 3/);
  });
});
