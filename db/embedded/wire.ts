/**
 * Just enough of the Postgres wire protocol for the embedded server to frame client messages and
 * know when a client is between statements. Message layouts: postgresql.org/docs/current/protocol-message-formats.html
 */

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const PROTOCOL_3 = 196608;

/** A framed client message. `type` is the tag byte as a letter, or "startup" for the untagged first messages. */
export interface ClientMessage {
  type: string;
  code?: number;
  bytes: Uint8Array;
}

/**
 * Extended-query messages up to the next Sync belong together: a Parse from one client landing
 * between another client's Parse and Bind would bind the wrong statement.
 */
const EXTENDED = new Set(["P", "B", "D", "E", "C", "H"]);
export function opensExtendedSequence(type: string): boolean {
  return EXTENDED.has(type);
}

/**
 * Accumulates socket chunks and yields whole messages. Chunks are kept as a list and joined once
 * per message, so a checkpoint of several MB arriving in 64 KB pieces is copied once, not 80 times.
 */
export class MessageReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private started = false;
  /** Messages above this are refused from their header, before their body is buffered. */
  maxSize = Infinity;

  push(chunk: Buffer): ClientMessage[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const out: ClientMessage[] = [];
    for (;;) {
      const message = this.next();
      if (!message) return out;
      out.push(message);
    }
  }

  /** The first messages of a connection have no tag; after the startup message every one has. */
  private next(): ClientMessage | undefined {
    const headerSize = this.started ? 5 : 8;
    if (this.length < headerSize) return undefined;
    const header = this.peek(headerSize);
    const size = this.started ? 1 + header.readInt32BE(1) : header.readInt32BE(0);
    if (size < headerSize) throw new Error(`malformed message length ${size}`);
    if (size > this.maxSize) {
      this.chunks = [];
      this.length = 0;
      throw new MessageTooLargeError(size, this.maxSize);
    }
    if (this.length < size) return undefined;
    const bytes = this.take(size);
    if (this.started) return { type: String.fromCharCode(bytes[0]!), bytes };
    const code = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readInt32BE(4);
    if (code === PROTOCOL_3) this.started = true;
    return { type: "startup", code, bytes };
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Uint8Array {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const message = new Uint8Array(all.subarray(0, n));
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return message;
  }
}

export class MessageTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message of ${size} bytes exceeds the limit of ${limit} bytes`);
    this.name = "MessageTooLargeError";
  }
}

/** A FATAL ErrorResponse, so a refused client reports a real Postgres error instead of garbage. */
export function fatalError(code: string, message: string): Buffer {
  const fields = Buffer.concat([field("S", "FATAL"), field("V", "FATAL"), field("C", code), field("M", message), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write("E", 0, "latin1");
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

function field(tag: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(tag, "latin1"), Buffer.from(value, "utf8"), Buffer.from([0])]);
}

/** Sync ('S', length 4): ends an extended-query sequence a vanished client left open. */
export const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** A simple Query message. */
export function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(sql + "\0", "utf8");
  const head = Buffer.alloc(5);
  head.write("Q", 0, "latin1");
  head.writeInt32BE(4 + text.length, 1);
  return new Uint8Array(Buffer.concat([head, text]));
}

/** An Authentication message ('R'): `code` 10 SASL, 11 SASLContinue, 12 SASLFinal. */
export function authentication(code: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.write("R", 0, "latin1");
  head.writeInt32BE(8 + payload.length, 1);
  head.writeInt32BE(code, 5);
  return Buffer.concat([head, payload]);
}

/**
 * The payload of a SASLInitialResponse ('p': mechanism, then a length-prefixed response) or, when
 * `initial` is false, of a SASLResponse (the rest of the message); null when malformed.
 */
export function saslResponse(bytes: Uint8Array, initial: boolean): { mechanism?: string; data: string } | null {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(5);
  if (!initial) return { data: body.toString("utf8") };
  const end = body.indexOf(0);
  if (end < 0 || body.length < end + 5) return null;
  const length = body.readInt32BE(end + 1);
  const data = body.subarray(end + 5);
  if (length !== data.length) return null;
  return { mechanism: body.subarray(0, end).toString("latin1"), data: data.toString("utf8") };
}
