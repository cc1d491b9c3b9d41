/** What search engines may list: the leaderboard, the public listing and every public comparison (never unlisted or private ones). */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { comparisons } from "../../db/schema";

/** The protocol's limit per sitemap file. */
export const SITEMAP_MAX_URLS = 50_000;

export interface SitemapEntry {
  url: string;
  lastModified?: Date;
}

export async function sitemapEntries(db: Db, origin: string): Promise<SitemapEntry[]> {
  const fixed = ["/", "/leaderboard", "/browse"].map((path) => ({ url: new URL(path, origin).toString() }));
  const rows = await db
    .select({ slug: comparisons.shareSlug, createdAt: comparisons.createdAt })
    .from(comparisons)
    .where(eq(comparisons.visibility, "public"))
    .orderBy(desc(comparisons.createdAt))
    .limit(SITEMAP_MAX_URLS - fixed.length);
  return [...fixed, ...rows.map((row) => ({ url: new URL(`/c/${row.slug}`, origin).toString(), lastModified: row.createdAt }))];
}
