import type { Metadata } from "next";
import { z } from "zod";
import { api } from "../../trpc/server";
import { ComparisonList } from "../_components/ComparisonList";
import { Pager } from "../_components/nav/Pager";

export const metadata: Metadata = { title: "Browse" };

const pageParam = z.coerce
  .number({ error: "must be a whole number ≥ 1" })
  .int("must be a whole number ≥ 1")
  .min(1, "must be a whole number ≥ 1")
  .max(10_000, "must be ≤ 10000");

export default async function BrowsePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).page;
  const parsed = raw === undefined ? null : pageParam.safeParse(Array.isArray(raw) ? raw[0] : raw);
  const page = parsed?.success ? parsed.data : 1;
  const result = await api.comparisons.browse({ page });
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
