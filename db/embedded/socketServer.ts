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
 *
 * Because of that shared session, the server defends it as Postgres defends a backend: every
 * connection authenticates with SCRAM-SHA-256 within `authTimeoutMs` (unauthenticated sockets have
 * their own pool, oldest dropped first, so silent sockets cannot use up the connection slots); a
 * client that holds the backend (open transaction or unfinished extended query) and stays silent
 * for `idleInTransactionMs` is disconnected and its work rolled back; a message larger than
 * `maxMessageBytes` is refused from its header, before any of its body is buffered.
 */
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { SCRAM_MECHANISM, scramExchange, scramVerifier, type ScramExchange, type ScramVerifier } from "./scram";
import {
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  MessageReader,
  MessageTooLargeError,
  PROTOCOL_3,
  SSL_REQUEST,
  SYNC,
  authentication,
  fatalError,
  opensExtendedSequence,
  saslResponse,
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
  /** Every client must prove it knows this (SCRAM-SHA-256; user name not checked). */
  password: string;
  /** From accept to authenticated (Postgres's authentication_timeout). Default 5 s. */
  authTimeoutMs?: number;
  /** Silence allowed while holding the backend (Postgres's idle_in_transaction_session_timeout). Default 5 s. */
  idleInTransactionMs?: number;
  /** Largest message accepted once authenticated. Default 32 MiB. */
  maxMessageBytes?: number;
}

/** Postgres's MAX_STARTUP_PACKET_LENGTH: nothing before authentication needs more. */
const MAX_PRE_AUTH_MESSAGE = 10_000;

interface Client {
  id: number;
  socket: net.Socket;
  reader: MessageReader;
  /** Authentication progress; only "ready" clients reach the backend. */
  state: "startup" | "sasl-initial" | "sasl-final" | "ready";
  /** The startup message, handed to PGlite once the client has authenticated. */
  startup?: Uint8Array;
  scram?: ScramExchange;
  authTimer?: NodeJS.Timeout;
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
  private readonly verifier: ScramVerifier;
  private readonly authTimeoutMs: number;
  private readonly idleInTransactionMs: number;
  private readonly maxMessageBytes: number;
  /** Authenticated clients: these count against maxConnections. */
  private readonly clients = new Set<Client>();
  /** Clients still authenticating, oldest first. */
  private readonly pending = new Set<Client>();
  private idleTimer: NodeJS.Timeout | null = null;
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
    this.verifier = scramVerifier(options.password);
    this.authTimeoutMs = options.authTimeoutMs ?? 5_000;
    this.idleInTransactionMs = options.idleInTransactionMs ?? 5_000;
    this.maxMessageBytes = options.maxMessageBytes ?? 32 * 1024 * 1024;
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
    this.clearIdle();
    await closed;
    await this.idle;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    // A flood of sockets that never authenticate pushes out the oldest of them, not real clients.
    const oldest = this.pending.size >= this.maxConnections ? this.pending.values().next().value : undefined;
    if (oldest) this.refuse(oldest, "08006", "too many connections still authenticating");
    const client: Client = { id: this.nextId++, socket, reader: new MessageReader(), state: "startup", midSequence: false, closed: false };
    client.reader.maxSize = MAX_PRE_AUTH_MESSAGE;
    client.authTimer = setTimeout(() => this.refuse(client, "08006", "authentication timed out"), this.authTimeoutMs);
    this.pending.add(client);
    socket.on("data", (chunk: Buffer) => {
      let messages: ClientMessage[];
      try {
        messages = client.reader.push(chunk);
      } catch (error) {
        const tooLarge = error instanceof MessageTooLargeError;
        this.refuse(client, tooLarge ? "54000" : "08P01", (error as Error).message);
        return;
      }
      for (const message of messages) if (!client.closed) this.receive(client, message);
    });
    socket.on("close", () => {
      if (client.closed) return;
      client.closed = true;
      clearTimeout(client.authTimer);
      this.pending.delete(client);
      if (client.state !== "ready") return; // never reached the backend
      this.clients.delete(client);
      this.queue.push({ client, close: true });
      this.kick();
    });
  }

  /** Sends a FATAL error and disconnects; its close rolls back whatever it held. */
  private refuse(client: Client, code: string, message: string): void {
    const { socket } = client;
    clearTimeout(client.authTimer);
    this.pending.delete(client); // its slot is free at once, whatever the peer does
    client.reader = new MessageReader(); // drop anything half-received
    socket.pause();
    if (!socket.writable) socket.destroy();
    else socket.end(fatalError(code, message), () => socket.destroy());
    // A peer that never reads must not keep the socket half-open.
    setTimeout(() => socket.destroy(), 1_000).unref();
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
    if (client.state !== "ready") {
      this.authenticate(client, message);
      return;
    }
    if (client === this.owner) this.clearIdle();
    this.queue.push({ client, message });
    this.kick();
  }

  /** SCRAM-SHA-256 as Postgres runs it: AuthenticationSASL, SASLContinue, SASLFinal, then the backend's AuthenticationOk. */
  private authenticate(client: Client, message: ClientMessage): void {
    if (client.state === "startup") {
      if (message.type !== "startup" || message.code !== PROTOCOL_3) {
        this.refuse(client, "08P01", "unsupported frontend protocol");
        return;
      }
      client.startup = message.bytes;
      client.scram = scramExchange(this.verifier);
      client.state = "sasl-initial";
      client.socket.write(authentication(10, Buffer.from(`${SCRAM_MECHANISM}\0\0`, "latin1")));
      return;
    }
    const response = message.type === "p" ? saslResponse(message.bytes, client.state === "sasl-initial") : null;
    if (!response) {
      this.refuse(client, "08P01", "expected a SASL response");
      return;
    }
    if (client.state === "sasl-initial") {
      if (response.mechanism !== SCRAM_MECHANISM) {
        this.refuse(client, "28000", `unsupported SASL mechanism ${response.mechanism ?? "(none)"}`);
        return;
      }
      const first = client.scram!.first(response.data);
      if ("error" in first) {
        this.refuse(client, "08P01", first.error);
        return;
      }
      client.state = "sasl-final";
      client.socket.write(authentication(11, Buffer.from(first.serverFirst, "utf8")));
      return;
    }
    const serverFinal = client.scram!.final(response.data);
    if (serverFinal === null) {
      this.refuse(client, "28P01", "password authentication failed");
      return;
    }
    if (this.clients.size >= this.maxConnections) {
      this.refuse(client, "53300", `sorry, too many clients already (embedded database allows ${this.maxConnections})`);
      return;
    }
    clearTimeout(client.authTimer);
    this.pending.delete(client);
    this.clients.add(client);
    client.state = "ready";
    client.scram = undefined;
    client.reader.maxSize = this.maxMessageBytes;
    client.socket.write(authentication(12, Buffer.from(serverFinal, "utf8")));
    this.queue.push({ client, message: { type: "startup", code: PROTOCOL_3, bytes: client.startup! } });
    this.kick();
  }

  /** The owner went quiet: like idle_in_transaction_session_timeout, end the session, rolling back. */
  private armIdle(client: Client): void {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.owner !== client || client.closed || this.queue.some((e) => e.client === client)) return;
      this.refuse(client, "25P03", "terminating connection due to idle-in-transaction timeout");
    }, this.idleInTransactionMs);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
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
      if (index < 0 && this.owner) this.armIdle(this.owner); // owner's next message is still arriving
      if (index < 0 || index >= this.queue.length) return;
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
      if (!this.owner) this.clearIdle();
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
      this.clearIdle();
    }
  }
}
