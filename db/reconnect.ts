/**
 * Riding out a database restart: operations that failed because the connection was lost (or
 * could not be made) are retried with exponential backoff, since the pool opens fresh connections
 * once the server is back. Only for idempotent operations: a retried write may have committed
 * before the connection dropped.
 */

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "57P01",
  "57P02",
  "57P03",
  "08006",
  "08003",
  "08001",
]);

/** The error in `error`'s cause chain (Drizzle wraps the driver's) saying the server went away, if any. */
export function connectionCause(error: unknown): Error | null {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return e;
    if (/Connection terminated|timeout exceeded when trying to connect|is not queryable/i.test(e.message)) return e;
  }
  return null;
}

/** True when the error says the server went away, not that the statement was wrong. */
export function isConnectionError(error: unknown): boolean {
  return connectionCause(error) !== null;
}

export interface RetryOptions {
  /** Give up (rethrow) after this long without success. */
  maxMs: number;
  /** First delay, doubled after each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Stops retrying (the last error is thrown) once aborted. */
  signal?: AbortSignal;
  /** Told the connection error (not its wrapper) before each wait. */
  onRetry?: (error: Error, delayMs: number) => void;
}

export async function retryOnDisconnect<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const deadline = Date.now() + options.maxMs;
  let delay = options.initialDelayMs ?? 200;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const cause = connectionCause(error);
      if (!cause || options.signal?.aborted || Date.now() + delay > deadline) throw error;
      options.onRetry?.(cause, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
    }
  }
}

/** `target` with every method (all must be async) wrapped in retryOnDisconnect. */
export function withReconnectRetry<T extends object>(target: T, options: RetryOptions): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => retryOnDisconnect(() => Reflect.apply(value, object, args) as Promise<unknown>, options);
    },
  });
}
