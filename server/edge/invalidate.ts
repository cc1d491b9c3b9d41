/**
 * On-demand invalidation of the cached public pages: reads the change feed (./pageChanges.ts)
 * and expires exactly the pages it names with Next's `revalidatePath`, which needs a request, so
 * this runs inside one: after every tRPC mutation (its author's next look is fresh at once), and
 * from POST /api/pages/sync, which each server calls on itself every second (instrumentation.ts)
 * so changes written by other processes (workers, the CLI, other web instances) reach strangers
 * within about a second plus a render. State is per process, like Next's in-memory page cache.
 */
import "server-only";
import { revalidatePath } from "next/cache";
import { errorText } from "../../training/worker/log";
import { getDb } from "../api/db";
import { CHANGE_WINDOW_MS, pagesToExpire, prunePageChanges, readPageChanges } from "./pageChanges";

/** How often a reader deletes rows past retention. */
const PRUNE_EVERY_MS = 60_000;

const state = {
  /** Where the next read's window starts; null before the first read (nothing is cached yet then). */
  from: null as Date | null,
  /** Row ids already applied, with their read time, kept while a later read's window may return them. */
  applied: new Map<number, number>(),
  lastPrune: 0,
  /** The read in progress and whether another must follow it (a caller arrived after it started). */
  running: null as Promise<number> | null,
  again: null as Promise<number> | null,
  /** Whether the last read failed: an outage is logged once when it starts and once when it ends, not every second. */
  failing: false,
};

async function syncOnce(): Promise<number> {
  const db = await getDb();
  const read = await readPageChanges(db, state.from);
  const now = read.now.getTime();
  const fresh = read.changes.filter((change) => !state.applied.has(change.id));
  for (const page of pagesToExpire(fresh)) revalidatePath(page.path, page.type);
  for (const change of fresh) state.applied.set(change.id, now);
  state.from = new Date(now - CHANGE_WINDOW_MS);
  for (const [id, seen] of state.applied) if (seen < now - 2 * CHANGE_WINDOW_MS) state.applied.delete(id);
  if (now - state.lastPrune > PRUNE_EVERY_MS) {
    state.lastPrune = now;
    await prunePageChanges(db).catch(() => undefined); // another reader will
  }
  return fresh.length;
}

/**
 * Expires the pages changed since the last sync; resolves to the number of new changes. Concurrent
 * callers share reads, but a caller never gets a read that started before it did (a mutation's
 * own rows must be seen), so at most one more read is queued behind the running one.
 */
export function syncPageChanges(): Promise<number> {
  if (!state.running) {
    state.running = syncOnce()
      .then(
        (changes) => {
          if (state.failing) console.error("page sync: reading the change feed again");
          state.failing = false;
          return changes;
        },
        (error: unknown) => {
          if (!state.failing) console.error(`page sync failed (retried each time; logged again once it works): ${errorText(error)}`);
          state.failing = true;
          throw error;
        },
      )
      .finally(() => {
        state.running = null;
      });
    return state.running;
  }
  state.again ??= state.running
    .catch(() => 0)
    .then(() => {
      state.again = null;
      return syncPageChanges();
    });
  return state.again;
}
