/**
 * Decodes JPEG / PNG files to 32×32 RGB, HWC. Split in two so worker threads can run the
 * library decode (decodeRaw's twin in decodePool.ts) while checks stay here. Node-only
 * (pngjs needs Node's zlib).
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { CHANNELS, IMAGE_BYTES, IMAGE_SIZE } from "./classes";

/** Small limits: a CIFAR image needs 3 KB, so anything big is a wrong file, not a slow decode. */
export const JPEG_DECODE_OPTIONS = {
  useTArray: true,
  formatAsRGBA: false,
  maxResolutionInMP: 1,
  maxMemoryUsageInMB: 64,
} as const;

/** A decoded image before checks: RGB (jpeg-js) or RGBA (pngjs, always 8-bit). */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export function isPngName(name: string): boolean {
  return /\.png$/i.test(name);
}

export function decodeRaw(data: Uint8Array, png: boolean): RawImage {
  if (png) {
    const image = PNG.sync.read(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    return { width: image.width, height: image.height, channels: 4, data: image.data };
  }
  const image = jpeg.decode(data, JPEG_DECODE_OPTIONS);
  return { width: image.width, height: image.height, channels: 3, data: image.data };
}

export function decodeFailure(name: string, reason: string): Error {
  return new Error(`${name} could not be decoded as ${isPngName(name) ? "PNG" : "JPEG"}: ${reason}`);
}

/** 3,072 HWC bytes of a decoded image; throws an Error naming `name` unless it is 32×32. */
export function toCifarPixels(raw: RawImage, name: string): Uint8Array {
  if (raw.width !== IMAGE_SIZE || raw.height !== IMAGE_SIZE) {
    throw new Error(`${name} is ${raw.width}×${raw.height} pixels; CIFAR-10 images must be ${IMAGE_SIZE}×${IMAGE_SIZE} RGB`);
  }
  if (raw.channels === CHANNELS) return raw.data;
  const rgb = new Uint8Array(IMAGE_BYTES);
  for (let p = 0, s = 0; p < IMAGE_BYTES; p += CHANNELS, s += raw.channels) {
    rgb[p] = raw.data[s]!;
    rgb[p + 1] = raw.data[s + 1]!;
    rgb[p + 2] = raw.data[s + 2]!;
  }
  return rgb;
}

/** Decodes one file in this thread. */
export function decodeImage(data: Uint8Array, name: string): Uint8Array {
  let raw: RawImage;
  try {
    raw = decodeRaw(data, isPngName(name));
  } catch (err) {
    throw decodeFailure(name, err instanceof Error ? err.message : String(err));
  }
  return toCifarPixels(raw, name);
}
