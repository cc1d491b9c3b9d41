/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
export function progressBar(label: string): { update(done: number, total: number, note?: string): void; done(): void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(done, total, note = "") {
      const now = Date.now();
      if (now - last < 100 && done < total) return; // redraw at most 10 times a second
      last = now;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      stream.write(`\r${label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} ${note}\x1b[K`);
    },
    done() {
      stream.write("\r\x1b[K");
    },
  };
}
