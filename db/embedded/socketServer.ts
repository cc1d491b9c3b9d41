/**
 * Serves one PGlite instance to many `pg` clients over TCP on loopback.
 *
 * Why not PGLiteSocketServer from @electric-sql/pglite-socket 0.2: its multiplexer schedules single
 * protocol messages, so when a large Bind (a checkpoint) arrives in several TCP chunks, another
 * connection's Parse runs in between and the Bind lands on the wrong statement (measured: 10 of 20
 * 4 MB inserts failed with "incorrect binary data format in bind parameter 1" against a concurrent
 * small query; a statement with compatible parameters would have run silently). This server keeps
 * the backend with one client from its first extended-query message to the Sync, and for as long
 * as that client has a transaction open. The rest is the same design: PGlite has one session, so
 * all clients share it and an open transaction makes every other client wait.
 */
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import {
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  MessageReader,
  SSL_REQUEST,
  SYNC,
  fatalError,
  opensExtendedSequence,
  simpleQuery,
  type ClientMessage,
} from "./wire";

export interface SocketServerOptions {
  db: PGlite;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Connections beyond this are refused with SQLSTATE 53300, as Postgres does. */
  maxConnections: number;
}

interface Client {
  id: number;
  socket: net.Socket;
  reader: MessageReader;
  /** Mid extended-query sequence: between its first P/B/D/E/C/H and the Sync. */
  midSequence: boolean;
  closed: boolean;
}

type Entry = { client: Client; message: ClientMessage } | { client: Client; close: true };

export class EmbeddedSocketServer {
  private readonly db: PGlite;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly maxConnections: number;
  private readonly clients = new Set<Client>();
  /** Every open socket, refused ones included: stop() must not wait on a peer that never hangs up. */
  private readonly sockets = new Set<net.Socket>();
  private readonly queue: Entry[] = [];
  /** The client the backend belongs to until its sequence or transaction ends. */
  private owner: Client | null = null;
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private server: net.Server | null = null;
  private nextId = 1;
  port = 0;

  constructor(options: SocketServerOptions) {
    this.db = options.db;
    this.host = options.host ?? "127.0.0.1";
    this.requestedPort = options.port ?? 0;
    this.maxConnections = options.maxConnections;
  }

  async start(): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.requestedPort, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  get connections(): number {
    return this.clients.size;
  }

  /** Stops accepting, disconnects every client and waits until the backend is idle. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closed;
    await this.idle;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    if (this.clients.size >= this.maxConnections) {
      socket.on("error", () => socket.destroy());
      socket.end(fatalError("53300", `sorry, too many clients already (embedded database allows ${this.maxConnections})`));
      return;
    }
    const client: Client = { id: this.nextId++, socket, reader: new MessageReader(), midSequence: false, closed: false };
    this.clients.add(client);
    socket.on("data", (chunk: Buffer) => {
      let messages: ClientMessage[];
      try {
        messages = client.reader.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      for (const message of messages) this.receive(client, message);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (client.closed) return;
      client.closed = true;
      this.clients.delete(client);
      this.queue.push({ client, close: true });
      this.kick();
    });
  }

  private receive(client: Client, message: ClientMessage): void {
    if (message.type === "startup" && (message.code === SSL_REQUEST || message.code === GSSENC_REQUEST)) {
      client.socket.write("N"); // no encryption on loopback
      return;
    }
    if (message.type === "startup" && message.code === CANCEL_REQUEST) {
      client.socket.end(); // cancel is not supported; the query runs to completion
      return;
    }
    if (message.type === "X") {
      client.socket.end();
      return;
    }
    this.queue.push({ client, message });
    this.kick();
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.idle = this.drain().finally(() => {
      this.running = false;
    });
  }

  /** Runs queued messages one at a time; while a client owns the backend, only its messages run. */
  private async drain(): Promise<void> {
    for (;;) {
      const index = this.owner ? this.queue.findIndex((e) => e.client === this.owner) : 0;
      if (index < 0 || index >= this.queue.length) return; // owner's next message is still arriving
      const [entry] = this.queue.splice(index, 1);
      if (!entry) return;
      if ("close" in entry) {
        if (this.owner === entry.client) await this.abandon(entry.client);
        continue;
      }
      const { client, message } = entry;
      if (client.closed) continue; // its close entry follows and releases the backend
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(message.bytes, {
            onRawData: (data) => {
              // Copy: PGlite hands out a view of its wasm heap that the next chunk overwrites,
              // while a socket under backpressure only queues a reference to what it was given.
              if (!client.closed && client.socket.writable) client.socket.write(Buffer.from(data));
            },
          }),
        );
      } catch (error) {
        client.socket.destroy(error as Error);
      }
      if (message.type === "S") client.midSequence = false;
      else if (opensExtendedSequence(message.type)) client.midSequence = true;
      this.owner = client.midSequence || this.db.isInTransaction() ? client : null;
    }
  }

  /** A client vanished while it owned the backend: end its sequence and roll back its transaction. */
  private async abandon(client: Client): Promise<void> {
    const discard = { onRawData: () => {} };
    try {
      if (client.midSequence) await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, discard));
      if (this.db.isInTransaction()) await this.db.runExclusive(() => this.db.execProtocolRawStream(simpleQuery("ROLLBACK"), discard));
    } finally {
      this.owner = null;
    }
  }
}
