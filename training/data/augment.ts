/**
 * Pixel conversion for training: uint8 HWC → float32 in [0, 1], optionally with the standard
 * CIFAR augmentation (4-pixel zero pad, random 32×32 crop, horizontal flip with p = 0.5).
 * Pure; browser-safe.
 */
import { CHANNELS, IMAGE_BYTES, IMAGE_SIZE } from "./classes";

export const AUGMENT_PAD = 4;

/** v / 255 for every byte, so conversion is a table lookup. */
const SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);
const ROW = IMAGE_SIZE * CHANNELS;

/** One augmentation: crop offset (dx, dy) in [-4, 4] relative to the original image, and a flip. */
export interface AugmentDraw {
  dx: number;
  dy: number;
  flip: boolean;
}

/** Draws an augmentation: three uniforms, in the order dx, dy, flip. */
export function drawAugment(rand: () => number): AugmentDraw {
  const span = 2 * AUGMENT_PAD + 1;
  const dx = Math.floor(rand() * span) - AUGMENT_PAD;
  const dy = Math.floor(rand() * span) - AUGMENT_PAD;
  return { dx, dy, flip: rand() < 0.5 };
}

/** Writes image `src[srcOffset..+3072]` scaled to [0, 1] at `out[outOffset..]`. */
export function writeScaled(src: Uint8Array, srcOffset: number, out: Float32Array, outOffset: number): void {
  for (let i = 0; i < IMAGE_BYTES; i++) out[outOffset + i] = SCALE[src[srcOffset + i]!]!;
}

/**
 * Writes the augmented image: output pixel (r, c) is source pixel (r + dy, c' + dx) where
 * c' = 31 − c when flipped, else c; source pixels outside the image are zero (the padding).
 */
export function writeAugmented(src: Uint8Array, srcOffset: number, out: Float32Array, outOffset: number, draw: AugmentDraw): void {
  const { dx, dy, flip } = draw;
  for (let r = 0; r < IMAGE_SIZE; r++) {
    const rowOut = outOffset + r * ROW;
    const sr = r + dy;
    if (sr < 0 || sr >= IMAGE_SIZE) {
      out.fill(0, rowOut, rowOut + ROW);
      continue;
    }
    const rowSrc = srcOffset + sr * ROW;
    for (let c = 0; c < IMAGE_SIZE; c++) {
      const sc = (flip ? IMAGE_SIZE - 1 - c : c) + dx;
      const o = rowOut + c * CHANNELS;
      if (sc < 0 || sc >= IMAGE_SIZE) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
      } else {
        const s = rowSrc + sc * CHANNELS;
        out[o] = SCALE[src[s]!]!;
        out[o + 1] = SCALE[src[s + 1]!]!;
        out[o + 2] = SCALE[src[s + 2]!]!;
      }
    }
  }
}
