/**
 * What a leased job (a run, an LR range test) holds while the worker works on it: a heartbeat
 * that renews the lease and stops the job once the lease is gone, the worker's shutdown signal,
 * and one abort signal for the trainer; and the loading of its data, which gives the job back
 * when this machine has none.
 */
import { errorText, type WorkerLog } from "./log";
import type { LeaseState } from "./queue";

/** This machine cannot train (no prepared data): the worker stops rather than fail every job. */
export class DataUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DataUnavailableError";
  }
}

/** Why a job was stopped from outside: its lease is gone, or the worker is shutting down. */
export type LeaseStop = Exclude<LeaseState, "held"> | "shutdown";

export interface LeasedJob<Extra extends string> {
  /** Aborted once the job must stop: the trainer's signal. */
  readonly signal: AbortSignal;
  /** The first reason the job was stopped for; null while nothing stopped it. */
  readonly stopReason: LeaseStop | Extra | null;
  stop(reason: LeaseStop | Extra): void;
  /** Stops renewing the lease (waiting for a renewal in flight) and listening for shutdown. */
  close(): Promise<void>;
  /** The job's data; when this machine cannot load it, the job is closed and given back, and DataUnavailableError thrown. */
  load<T>(loader: () => Promise<T>): Promise<T>;
}

export function startLeasedJob<Extra extends string = never>(opts: {
  /** The job in log lines: "run <id>", "lr test <id>". */
  what: string;
  shutdown: AbortSignal;
  renew: () => Promise<LeaseState>;
  renewEveryMs: number;
  release: () => Promise<unknown>;
  log: WorkerLog;
}): LeasedJob<Extra> {
  const controller = new AbortController();
  let reason: LeaseStop | Extra | null = null;
  const stop = (why: LeaseStop | Extra) => {
    reason ??= why;
    controller.abort(new Error(why));
  };
  const onShutdown = () => stop("shutdown");
  if (opts.shutdown.aborted) onShutdown();
  opts.shutdown.addEventListener("abort", onShutdown);
  // From here on the lease is renewed, data loading included.
  const heartbeat = startHeartbeat(opts.renew, opts.renewEveryMs, stop, (error) =>
    opts.log.line(`error: heartbeat for ${opts.what} failed: ${errorText(error)}`),
  );
  const close = async () => {
    await heartbeat.stop();
    opts.shutdown.removeEventListener("abort", onShutdown);
  };
  return {
    signal: controller.signal,
    get stopReason() {
      return reason;
    },
    stop,
    close,
    async load(loader) {
      try {
        return await loader();
      } catch (error) {
        await close();
        // Missing data is this machine's problem: give the job back for a worker that has it.
        await opts.release().catch(() => {});
        opts.log.line(`error: cannot load data for ${opts.what}: ${errorText(error)}; released it`);
        throw new DataUnavailableError(errorText(error), { cause: error });
      }
    },
  };
}

/** Renews the lease every `periodMs` (never two at once) until stopped or the lease is gone. */
function startHeartbeat(
  beat: () => Promise<LeaseState>,
  periodMs: number,
  onGone: (state: Exclude<LeaseState, "held">) => void,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = beat().then(
        (state) => {
          if (state !== "held") onGone(state);
          else if (!stopped) schedule();
        },
        (error: unknown) => {
          onError(error); // the next beat may succeed; the lease only lapses after leaseMs
          if (!stopped) schedule();
        },
      );
    }, periodMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
