import { z } from "zod";
import { crc32 } from "./crc32";

/**
 * Checkpoint byte format: "LRLC", u32 header length, UTF-8 JSON header, zero padding to 4 bytes,
 * float32 tensor data, u32 CRC-32 of everything before it. Plain bytes so the same checkpoint can
 * be stored in a database column and loaded by any backend in Node or the browser.
 */
const MAGIC = [0x4c, 0x52, 0x4c, 0x43]; // "LRLC"
export const CHECKPOINT_FORMAT = 1;

const headerSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  /** Canonical JSON of the run config, to refuse resuming a different run. */
  config: z.string(),
  /** Where training continues: epoch index and batch within it. */
  position: z.object({ epoch: z.number().int().min(0), batch: z.number().int().min(0) }),
  /** Running sums of the epoch in progress, so a mid-epoch resume reports the same metrics. */
  partial: z.object({ lossSum: z.number(), correct: z.number(), seen: z.number(), seconds: z.number() }),
  scheduler: z.unknown(),
  optimizerIterations: z.number().int().min(0),
  /** Optimizer numbers carried across steps (NAdam's μ product, schedule-free's weight sum). */
  optimizerScalars: z.array(z.number()).optional(),
  /** Shapes of the model's variables, then of each optimizer slot's tensors in the same order. */
  weightShapes: z.array(z.array(z.number().int().min(0))),
  slotCount: z.number().int().min(0),
});
export type CheckpointHeader = z.output<typeof headerSchema>;

export interface CheckpointData extends CheckpointHeader {
  /** One Float32Array per weight, then per slot tensor (slot-major). */
  tensors: Float32Array[];
}

export class CheckpointError extends Error {
  constructor(reason: string) {
    super(`checkpoint is unreadable: ${reason}`);
    this.name = "CheckpointError";
  }
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const { tensors, ...header } = data;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = align4(8 + json.length);
  const dataBytes = tensors.reduce((n, t) => n + t.byteLength, 0);
  const out = new Uint8Array(headerEnd + dataBytes + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  let offset = headerEnd;
  for (const t of tensors) {
    out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), offset);
    offset += t.byteLength;
  }
  view.setUint32(offset, crc32(out.subarray(0, offset)), true);
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): CheckpointData {
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw new CheckpointError("not an LR Lab checkpoint");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body = bytes.length - 4;
  if (view.getUint32(body, true) !== crc32(bytes.subarray(0, body)))
    throw new CheckpointError("checksum mismatch (truncated or corrupted)");
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > body) throw new CheckpointError("header overruns the data");
  let header: CheckpointHeader;
  try {
    header = headerSchema.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength))));
  } catch {
    throw new CheckpointError("header is not valid");
  }
  const shapes = [...header.weightShapes];
  for (let s = 0; s < header.slotCount; s++) shapes.push(...header.weightShapes);
  let offset = align4(8 + jsonLength);
  const expected = offset + shapes.reduce((n, shape) => n + size(shape) * 4, 0);
  if (expected !== body) throw new CheckpointError(`data is ${body - offset} bytes, the header describes ${expected - offset}`);
  // Copy into fresh aligned buffers: the input may sit at any byte offset (e.g. a DB row).
  const tensors = shapes.map((shape) => {
    const n = size(shape) * 4;
    const t = new Float32Array(bytes.slice(offset, offset + n).buffer);
    offset += n;
    return t;
  });
  return { ...header, tensors };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
