/**
 * Runs once when a server starts, `next start` or the standalone server.js alike (the standalone
 * server does not load next.config.ts, whose import of ./env validates the environment otherwise).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./server/edge/checkEnv")).checkEnv();
}
