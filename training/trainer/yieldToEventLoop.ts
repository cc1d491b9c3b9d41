/**
 * One turn of the event loop: timers (lease heartbeats), I/O and signal handlers run before the
 * promise resolves. tfjs's wasm and cpu backends finish a whole step on the microtask queue, so a
 * batch loop that only awaits them never lets a timer fire; it awaits this once per batch.
 */
export function yieldToEventLoop(): Promise<void> {
  // setImmediate runs after pending I/O and timers in Node; browsers lack it (setTimeout clamps to ~4 ms).
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
