import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { api } from "../../trpc/server";
import { ComparisonList } from "../_components/ComparisonList";

export const metadata: Metadata = { title: "Browse" };

const pageParam = z.coerce.number({ error: "must be a whole number ≥ 1" }).int("must be a whole number ≥ 1").min(1, "must be a whole number ≥ 1").max(10_000, "must be ≤ 10000");

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
      {result.items.length === 0 ? <p className="text-slate-600">No public comparisons on this page yet.</p> : <ComparisonList items={result.items} showVisibility={false} label="Public comparisons" />}
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {result.page > 1 ? (
          <Link className="link" href={`/browse?page=${result.page - 1}`}>
            Newer
          </Link>
        ) : null}
        <span className="text-slate-500">
          Page {result.page} of {result.pages}
        </span>
        {result.page < result.pages ? (
          <Link className="link" href={`/browse?page=${result.page + 1}`}>
            Older
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
