import Link from "next/link";

/** "Page k of n" with links either side, for server-rendered paged lists. */
export function Pager({
  page,
  pages,
  href,
  previous = "Previous",
  next = "Next",
}: {
  page: number;
  pages: number;
  href: (page: number) => string;
  previous?: string;
  next?: string;
}) {
  return (
    <nav aria-label="Pages" className="flex gap-3 text-sm">
      {page > 1 ? (
        <Link className="link" href={href(page - 1)}>
          {previous}
        </Link>
      ) : null}
      <span className="text-slate-500">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link className="link" href={href(page + 1)}>
          {next}
        </Link>
      ) : null}
    </nav>
  );
}
