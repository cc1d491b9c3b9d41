/**
 * The timer that keeps this server's cached pages in step with changes other processes write:
 * it calls POST /api/pages/sync on this same server (the expiry needs a request's context, see
 * ./invalidate.ts) every `everyMs`, one call at a time. Started by instrumentation.ts.
 */

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
    fetch(`${url}/api/pages/sync`, { method: "POST", signal: AbortSignal.timeout(10_000) })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
