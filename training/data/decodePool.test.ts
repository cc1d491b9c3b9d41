import { describe, expect, it } from "vitest";
import { IMAGE_BYTES } from "./classes";
import { decodeImages, type EncodedFile } from "./decodePool";
import { encodeJpeg, encodePng, smoothImage } from "./testFixtures";

// 2,000 files: the smallest batch for which the worker pool is used.
const base = [encodeJpeg(smoothImage(1)), encodeJpeg(smoothImage(2)), encodePng(smoothImage(3))];
const files: EncodedFile[] = Array.from({ length: 2000 }, (_, i) => ({
  name: `train/cat/${i}.${i % 3 === 2 ? "png" : "jpg"}`,
  data: base[i % 3]!,
}));

async function decodeAll(list: EncodedFile[], workers: number): Promise<Uint8Array> {
  const out = new Uint8Array(list.length * IMAGE_BYTES);
  const seen = new Set<number>();
  await decodeImages(
    list,
    (index, pixels) => {
      seen.add(index);
      out.set(pixels, index * IMAGE_BYTES);
    },
    workers,
  );
  expect(seen.size).toBe(list.length);
  return out;
}

describe("decodeImages", () => {
  it("gives the same pixels on worker threads as in this thread", async () => {
    const inline = await decodeAll(files, 1);
    const pooled = await decodeAll(files, 2);
    expect(Buffer.from(pooled).equals(Buffer.from(inline))).toBe(true);
    // PNG is lossless: every third image is exactly its source.
    expect(Buffer.from(pooled.subarray(2 * IMAGE_BYTES, 3 * IMAGE_BYTES)).equals(Buffer.from(smoothImage(3)))).toBe(true);
  });

  it("names a bad file decoded on a worker", async () => {
    const bad = files.map((f, i) => (i === 1234 ? { name: "test/dog/1234.jpg", data: encodeJpeg(smoothImage(4, 16, 16), 16, 16) } : f));
    await expect(decodeAll(bad, 2)).rejects.toThrow("test/dog/1234.jpg is 16×16 pixels; CIFAR-10 images must be 32×32 RGB");
    const corrupt = files.map((f, i) => (i === 1999 ? { name: "test/dog/1999.png", data: Buffer.from("junk") } : f));
    await expect(decodeAll(corrupt, 2)).rejects.toThrow(/test\/dog\/1999\.png could not be decoded as PNG/);
  });
});
