/**
 * Runs once when a server starts, `next start` or the standalone server.js alike (the standalone
 * server does not load next.config.ts, whose import of ./env validates the environment otherwise).
 * In production it also starts the page sync timer (server/edge/syncLoop.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await (await import("./server/edge/checkEnv")).checkEnv();
  if (process.env.NODE_ENV !== "production" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./env");
  if (env.LRLAB_PAGE_SYNC_MS === 0) return;
  const { selfUrl, startPageSync } = await import("./server/edge/syncLoop");
  startPageSync(selfUrl(process.env), env.LRLAB_PAGE_SYNC_MS);
}
