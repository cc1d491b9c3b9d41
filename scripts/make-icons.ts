/**
 * Writes the app icons in public/ (run once; the outputs are committed): a decaying learning-rate
 * curve on a dark tile, drawn directly into PNGs with pngjs, and a favicon.ico holding the 32 px
 * PNG (an ICO may embed PNG images). public/icon.svg is the same drawing by hand.
 * `npx tsx scripts/make-icons.ts`
 */
import fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

const OUT = path.resolve(import.meta.dirname, "../public");
const BG = [15, 23, 42] as const; // slate-900
const LINE = [52, 211, 153] as const; // emerald-400

/** The curve in unit coordinates: a step-decay-like fall from top left, as y(x) in [0, 1] (0 = top). */
const curve = (x: number) => 0.18 + 0.64 * (1 - Math.exp(-3.2 * x));

function draw(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const radius = size * 0.18;
  const pad = size * 0.16;
  const width = Math.max(1.2, size * 0.085);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // Rounded tile: distance outside the inner rectangle compared with the corner radius.
      const dx = Math.max(radius - x - 0.5, 0, x + 0.5 - (size - radius));
      const dy = Math.max(radius - y - 0.5, 0, y + 0.5 - (size - radius));
      const tile = Math.min(1, Math.max(0, radius - Math.hypot(dx, dy) + 0.5));
      // Distance to the curve, sampled: good enough for an icon.
      let best = Infinity;
      for (let k = 0; k <= 200; k++) {
        const u = k / 200;
        const cx = pad + u * (size - 2 * pad);
        const cy = pad + curve(u) * (size - 2 * pad);
        best = Math.min(best, Math.hypot(cx - (x + 0.5), cy - (y + 0.5)));
      }
      const ink = Math.min(1, Math.max(0, width / 2 - best + 0.5));
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(BG[c]! * (1 - ink) + LINE[c]! * ink);
      png.data[i + 3] = Math.round(255 * tile);
    }
  }
  return PNG.sync.write(png);
}

function ico(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image
  return Buffer.concat([header, png]);
}

fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, "favicon.ico"), ico(draw(32), 32));
for (const [name, size] of [
  ["icon-192.png", 192],
  ["icon-512.png", 512],
  ["apple-touch-icon.png", 180],
] as const) {
  fs.writeFileSync(path.join(OUT, name), draw(size));
}
