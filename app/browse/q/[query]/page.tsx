import type { Metadata } from "next";
import { z } from "zod";
import { listingParams } from "../../../../server/edge/publicQuery";
import { publicApi } from "../../../../trpc/public";
import { ComparisonList } from "../../../_components/ComparisonList";
import { Pager } from "../../../_components/nav/Pager";

export const metadata: Metadata = { title: "Browse" };

const pageParam = z.coerce
  .number({ error: "must be a whole number ≥ 1" })
  .int("must be a whole number ≥ 1")
  .min(1, "must be a whole number ≥ 1")
  .max(10_000, "must be ≤ 10000");

// `/browse?page=N` is served from here (the proxy moves the query into the path: server/edge/publicQuery.ts),
// from Next's cache to strangers; rendered on first request, none at build.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { query: string }[] {
  return [];
}

export default async function BrowsePage({ params }: { params: Promise<{ query: string }> }) {
  const raw = listingParams((await params).query).page;
  const parsed = raw === undefined ? null : pageParam.safeParse(raw);
  const page = parsed?.success ? parsed.data : 1;
  const result = await publicApi.comparisons.browse({ page });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Public comparisons</h1>
      {parsed && !parsed.success ? (
        <p role="alert" className="text-sm text-amber-700">
          page: {parsed.error.issues[0]?.message} — showing page 1.
        </p>
      ) : null}
      {result.items.length === 0 ? (
        <p className="text-slate-600">No public comparisons on this page yet.</p>
      ) : (
        <ComparisonList items={result.items} showVisibility={false} label="Public comparisons" />
      )}
      <Pager page={result.page} pages={result.pages} href={(page) => `/browse?page=${page}`} previous="Newer" next="Older" />
    </div>
  );
}
