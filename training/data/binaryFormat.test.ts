import { describe, expect, it } from "vitest";
import { decodeBinaryRecords, RECORD_BYTES } from "./binaryFormat";
import { IMAGE_BYTES } from "./classes";
import { binaryRecords, fixturePixel } from "./testFixtures";

describe("decodeBinaryRecords", () => {
  it("turns channel-planar records into HWC images with their labels", () => {
    const bytes = binaryRecords([3, 9, 0], 0);
    const split = decodeBinaryRecords(bytes, "data_batch_1.bin");
    expect(split.count).toBe(3);
    expect([...split.labels]).toEqual([3, 9, 0]);
    for (const [record, row, col, channel] of [
      [0, 0, 0, 0],
      [0, 0, 1, 2],
      [1, 5, 17, 1],
      [2, 31, 31, 2],
      [2, 31, 0, 0],
    ] as const) {
      // HWC index of (row, col, channel) vs planar index channel*1024 + row*32 + col.
      const hwc = split.images[record * IMAGE_BYTES + (row * 32 + col) * 3 + channel];
      const planar = bytes[record * RECORD_BYTES + 1 + channel * 1024 + row * 32 + col];
      expect(hwc).toBe(planar);
      expect(hwc).toBe(fixturePixel(record, row, col, channel));
    }
  });

  it("rejects a file that is not whole records, naming it", () => {
    const bytes = binaryRecords([1, 2], 0).subarray(0, RECORD_BYTES + 100);
    expect(() => decodeBinaryRecords(bytes, "data_batch_3.bin")).toThrow(/data_batch_3\.bin is 3173 bytes, not a whole number/);
  });

  it("rejects labels above 9, naming the record", () => {
    const bytes = binaryRecords([1, 2], 0);
    bytes[RECORD_BYTES] = 10;
    expect(() => decodeBinaryRecords(bytes, "test_batch.bin")).toThrow("test_batch.bin: record 1 has label 10");
  });
});
