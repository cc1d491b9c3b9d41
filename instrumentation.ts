/**
 * Runs once when a server starts, `next start` or the standalone server.js alike (the standalone
 * server does not load next.config.ts, whose import of ./env validates the environment otherwise):
 * a bad environment stops the start with a message naming each variable. (A throw here would only
 * be logged, and the server would go on answering with 500s.)
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("./env");
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
