/**
 * Decodes many images on worker threads (JPEG decoding is most of `data prepare`). The worker
 * is plain CommonJS evaluated from a string so it runs the same under tsx, vitest and built
 * code; it only calls the libraries, and every check happens in imageDecode.ts. Node-only.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { decodeFailure, decodeImage, isPngName, JPEG_DECODE_OPTIONS, toCifarPixels, type RawImage } from "./imageDecode";

export interface EncodedFile {
  name: string;
  data: Uint8Array;
}

/** Below this many images, starting workers costs more than it saves. */
const MIN_FOR_WORKERS = 2000;
const CHUNK = 500;

/** Same library calls as decodeRaw in imageDecode.ts. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const jpeg = require(workerData.jpegPath);
const { PNG } = require(workerData.pngPath);
parentPort.on("message", ({ id, bytes, ends, png }) => {
  const results = [];
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const data = new Uint8Array(bytes, start, ends[i] - start);
    start = ends[i];
    try {
      if (png[i]) {
        const image = PNG.sync.read(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        results.push({ width: image.width, height: image.height, channels: 4, data: new Uint8Array(image.data) });
      } else {
        const image = jpeg.decode(data, workerData.jpegOptions);
        results.push({ width: image.width, height: image.height, channels: 3, data: image.data });
      }
    } catch (err) {
      results.push({ error: String((err && err.message) || err) });
    }
  }
  parentPort.postMessage({ id, results }, results.filter((r) => r.data).map((r) => r.data.buffer));
});
`;

type WorkerResult = RawImage | { error: string };

/** Worker threads used by default: the cores Node may use, at most 8. */
export function defaultDecodeWorkers(): number {
  return Math.min(8, availableParallelism());
}

/**
 * Decodes `files` to 3,072-byte HWC images, calling `onDecoded(index, pixels)` for each (in
 * any order). Throws an Error naming the first bad file. `workers` ≤ 1 decodes in this thread.
 */
export async function decodeImages(
  files: readonly EncodedFile[],
  onDecoded: (index: number, pixels: Uint8Array) => void,
  workers = defaultDecodeWorkers(),
): Promise<void> {
  if (workers <= 1 || files.length < MIN_FOR_WORKERS) {
    files.forEach((file, i) => onDecoded(i, decodeImage(file.data, file.name)));
    return;
  }
  const require = createRequire(import.meta.url);
  const workerData = {
    jpegPath: require.resolve("jpeg-js"),
    pngPath: require.resolve("pngjs"),
    jpegOptions: JPEG_DECODE_OPTIONS,
  };
  const pool = Array.from(
    { length: Math.min(workers, Math.ceil(files.length / CHUNK)) },
    () => new Worker(WORKER_SOURCE, { eval: true, workerData }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let pending = 0;
      const send = (worker: Worker) => {
        if (next >= files.length) {
          if (pending === 0) resolve();
          return;
        }
        const first = next;
        const chunk = files.slice(first, first + CHUNK);
        next += chunk.length;
        pending++;
        // One packed buffer per chunk, transferred: cloning views of tar-stream's pooled
        // buffers would copy the whole pool each time.
        const bytes = new Uint8Array(chunk.reduce((sum, f) => sum + f.data.length, 0));
        const ends = new Uint32Array(chunk.length);
        let at = 0;
        chunk.forEach((file, i) => {
          bytes.set(file.data, at);
          at += file.data.length;
          ends[i] = at;
        });
        worker.postMessage({ id: first, bytes: bytes.buffer, ends, png: chunk.map((f) => isPngName(f.name)) }, [bytes.buffer]);
      };
      for (const worker of pool) {
        worker.on("message", ({ id, results }: { id: number; results: WorkerResult[] }) => {
          pending--;
          try {
            results.forEach((result, k) => {
              const name = files[id + k]!.name;
              if ("error" in result) throw decodeFailure(name, result.error);
              onDecoded(id + k, toCifarPixels(result, name));
            });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          send(worker);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => reject(new Error(`an image decoding worker stopped (exit code ${code})`)));
        // Two chunks in flight per worker keep it busy while the main thread copies results.
        send(worker);
        send(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
