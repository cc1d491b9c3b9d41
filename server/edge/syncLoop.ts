/**
 * The timer that keeps this server's cached pages in step with changes other processes write:
 * it calls POST /api/pages/sync on this same server (the expiry needs a request's context, see
 * ./invalidate.ts) every `everyMs`, one call at a time. Started by instrumentation.ts.
 */
import http from "node:http";

/** Where this server listens, as seen from itself: the standalone server's and `npm start`'s PORT and HOSTNAME. */
export function selfUrl(env: Readonly<Record<string, string | undefined>>): string {
  const host = env.HOSTNAME && !["0.0.0.0", "::", "[::]"].includes(env.HOSTNAME) ? env.HOSTNAME : "127.0.0.1";
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${env.PORT ?? "3000"}`;
}

export function startPageSync(url: string, everyMs: number): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    // Refused while the server is still starting, or failing: the next tick tries again.
    void postOnce(`${url}/api/pages/sync`, 10_000).finally(() => {
      busy = false;
    });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One POST on a connection of its own, closed after the answer. On SIGTERM Next's server stops
 * accepting connections and waits for the open ones to close; a kept-alive connection that this
 * timer reused every second never did, and the server never exited.
 */
function postOnce(url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: "POST",
      agent: false,
      headers: { connection: "close", "content-length": "0" },
      timeout: timeoutMs,
    });
    request.on("response", (response) => {
      response.on("end", resolve).on("error", resolve).resume();
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve());
    request.end();
  });
}
