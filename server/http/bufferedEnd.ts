/**
 * A ServerResponse whose `end(text)` sends a large text body as one encoded Buffer. Next answers
 * every cached page with `res.end(html)` (next/dist/server/send-payload.js, Next 16), and on Node 20
 * writing a string of more than 64 Ki characters to a socket costs several times what the same
 * bytes cost as a Buffer: about 0.55–0.8 ms of CPU a response for a 68 KB comparison page against
 * 0.2–0.3 ms encoded first (measured side by side in one process; `npm run bench -- web` shows it
 * as requests/s). Smaller bodies go through unchanged.
 */
import http from "node:http";

/** Characters above which a text body is encoded before it is written. */
const ENCODE_ABOVE = 16_384;

type Callback = () => void;

export class BufferedEndResponse<Request extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<Request> {
  override end(cb?: Callback): this;
  override end(chunk: unknown, cb?: Callback): this;
  override end(chunk: unknown, encoding: BufferEncoding, cb?: Callback): this;
  override end(...args: unknown[]): this {
    const [chunk, encoding, cb] = args;
    if (typeof chunk === "string" && chunk.length > ENCODE_ABOVE) {
      const bytes = Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      return super.end(bytes, (typeof encoding === "function" ? encoding : cb) as Callback | undefined);
    }
    // Forwarded as called: ServerResponse tells its overloads apart by the arguments' types.
    return (super.end as (...forwarded: unknown[]) => this).apply(this, args);
  }
}
