/**
 * SIGTERM/SIGINT handling for long-running commands: the first signal asks for a clean stop; a
 * second one means "now" and exits at once (130, as a shell reports an interrupted command).
 */
export function onShutdownSignal(onFirst: (signal: NodeJS.Signals) => void): () => void {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    received = true;
    onFirst(signal);
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
}
