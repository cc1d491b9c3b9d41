import Link from "next/link";

interface Item {
  slug: string;
  title: string;
  description: string;
  visibility: string;
  ownerName: string;
  createdAt: Date;
  runs: { total: number; queued: number; running: number; done: number };
}

/** Comparison cards for Browse and My comparisons. */
export function ComparisonList({ items, showVisibility, label }: { items: readonly Item[]; showVisibility: boolean; label: string }) {
  return (
    <ul aria-label={label} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {items.map((item) => (
        <li key={item.slug} className="rounded-lg border border-slate-200 bg-white p-4">
          <Link href={`/c/${item.slug}`} className="link font-medium">
            {item.title}
          </Link>
          {item.description ? <p className="mt-1 line-clamp-2 text-sm text-slate-600">{item.description}</p> : null}
          <p className="mt-2 text-xs text-slate-500">
            {showVisibility ? `${item.visibility} · ` : `by ${item.ownerName} · `}
            {item.runs.total} run{item.runs.total === 1 ? "" : "s"}
            {item.runs.running ? ` · ${item.runs.running} running` : ""}
            {item.runs.queued ? ` · ${item.runs.queued} queued` : ""} · {item.createdAt.toISOString().slice(0, 10)}
          </p>
        </li>
      ))}
    </ul>
  );
}
