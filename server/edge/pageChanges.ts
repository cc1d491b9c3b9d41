/**
 * The change feed behind on-demand invalidation of the cached public pages. Triggers on `runs`,
 * `comparisons` and `leaderboard_configs` (migration 0008) append a `page_changes` row for every
 * change a cached page may show, in the writer's own transaction, whichever process writes (a
 * worker recording an epoch, the CLI, any web instance). Each web instance reads the rows of a
 * recent window (./invalidate.ts) and expires only the pages they name (`pagesToExpire`).
 */
import { asc, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { pageChanges, type PageChangeRow } from "../../db/schema";

/**
 * How far back each read looks past the previous one. A row's `at` is taken when the writer
 * inserts it, before its transaction commits; a row committed later than this after its `at`
 * would be missed, and the page's time-based revalidation (README, "Caching") catches it instead.
 */
export const CHANGE_WINDOW_MS = 10_000;
/** Rows older than this are deleted by the readers. */
export const CHANGE_RETENTION_MS = 10 * 60_000;

/**
 * One page to expire, Next's `revalidatePath(path, type)`: a path as requested, every page of a
 * route (`page`: the path is the route's pattern), or every page and route handler under a path
 * (`layout`; `/leaderboard` covers its query variants, detail pages and share image).
 */
export interface PageToExpire {
  path: string;
  type?: "page" | "layout";
}

export type PageChange = Pick<PageChangeRow, "slug" | "runId" | "leaderboard">;

/** The listings that change with any comparison (what they show: titles, visibility, run counts by status). */
const LISTINGS: PageToExpire[] = [{ path: "/browse", type: "layout" }];

/** The leaderboard's pages: every query variant and detail view, and its share image. */
const LEADERBOARD: PageToExpire[] = [{ path: "/leaderboard", type: "layout" }];

/**
 * The cached pages showing what `changes` changed, each once. A comparison's own pages (page,
 * embed, share image) by path; a run's page by path; a comparison-wide change (no run: edited,
 * re-scoped, deleted) every run page, since which runs it held is no longer known for a deleted one.
 */
export function pagesToExpire(changes: readonly PageChange[]): PageToExpire[] {
  const out = new Map<string, PageToExpire>();
  const add = (pages: readonly PageToExpire[]) => {
    for (const page of pages) out.set(`${page.type ?? ""}:${page.path}`, page);
  };
  for (const change of changes) {
    if (change.leaderboard) add(LEADERBOARD);
    if (change.slug === null) continue;
    const slug = change.slug;
    add([{ path: `/c/${slug}` }, { path: `/c/${slug}/opengraph-image` }, { path: `/embed/c/${slug}` }, ...LISTINGS]);
    add(change.runId === null ? [{ path: "/c/[slug]/runs/[runId]", type: "page" }] : [{ path: `/c/${slug}/runs/${change.runId}` }]);
  }
  return [...out.values()];
}

export interface ChangeRead {
  changes: (PageChange & { id: number })[];
  /** The database's clock at the read: where the next read's window starts from. */
  now: Date;
}

/** The rows written after `from` (all recent ones when null), oldest first, with the database's time. */
export async function readPageChanges(db: Db, from: Date | null): Promise<ChangeRead> {
  const since = from ?? sql`now() - ${CHANGE_WINDOW_MS}::int * interval '1 millisecond'`;
  return db.transaction(
    async (tx) => {
      const changes = await tx
        .select({ id: pageChanges.id, slug: pageChanges.slug, runId: pageChanges.runId, leaderboard: pageChanges.leaderboard })
        .from(pageChanges)
        .where(gt(pageChanges.at, since))
        .orderBy(asc(pageChanges.id));
      const {
        rows: [clock],
      } = await tx.execute<{ ms: number }>(sql`select (extract(epoch from now()) * 1000)::float8 as ms`);
      return { changes, now: new Date(clock!.ms) };
    },
    { accessMode: "read only" },
  );
}

/** Deletes rows past retention, skipping any another reader is deleting (no waits, no deadlocks). */
export async function prunePageChanges(db: Db): Promise<void> {
  const old = db
    .select({ id: pageChanges.id })
    .from(pageChanges)
    .where(lt(pageChanges.at, sql`now() - ${CHANGE_RETENTION_MS}::int * interval '1 millisecond'`))
    .limit(1000)
    .for("update", { skipLocked: true });
  await db.delete(pageChanges).where(inArray(pageChanges.id, old));
}
