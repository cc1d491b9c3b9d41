/**
 * Called once at server start (instrumentation.ts): a bad environment stops the start with a
 * message naming each variable. (A throw from instrumentation would only be logged, and the server
 * would go on answering with 500s.)
 */
export async function checkEnv(): Promise<void> {
  try {
    await import("../../env");
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
