/**
 * The worker's output: one line per event (claim, resume, epoch, finish, error) for logs, and a
 * progress bar redrawn in place when the output is a terminal. Lines clear the bar first.
 */
export interface LogStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface WorkerLog {
  line(text: string): void;
  progress(label: string, done: number, total: number): void;
}

export function createWorkerLog(out: LogStream, now: () => Date = () => new Date()): WorkerLog {
  let barShown = false;
  let lastDraw = 0;
  return {
    line(text) {
      if (barShown) out.write("\r\x1b[K");
      barShown = false;
      out.write(`${now().toISOString()} ${text}\n`);
    },
    progress(label, done, total) {
      if (!out.isTTY) return;
      const t = Date.now();
      if (t - lastDraw < 100 && done < total) return; // at most ten redraws a second
      lastDraw = t;
      const width = 30;
      const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
      out.write(`\r${label} ${"█".repeat(filled)}${"░".repeat(width - filled)} ${done}/${total}\x1b[K`);
      barShown = true;
    },
  };
}

/** For tests and embedding: collects lines in memory. */
export function memoryLog(): WorkerLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, line: (text) => void lines.push(text), progress() {} };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
