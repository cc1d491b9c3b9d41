import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "../../server/auth/session";
import { api } from "../../trpc/server";
import { ComparisonList } from "../_components/ComparisonList";

export const metadata: Metadata = { title: "My comparisons" };

export default async function MyComparisonsPage() {
  if (!(await currentUser())) redirect("/sign-in?next=/comparisons");
  const items = await api.comparisons.mine();
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="flex-1 text-2xl font-semibold">My comparisons</h1>
        <Link href="/comparisons/new" className="btn-primary">
          New comparison
        </Link>
      </div>
      {items.length === 0 ? (
        <p className="text-slate-600">None yet.</p>
      ) : (
        <ComparisonList items={items} showVisibility label="My comparisons" />
      )}
    </div>
  );
}
