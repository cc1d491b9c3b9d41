import Link from "next/link";

/** The "← Comparison title" line above a comparison's sub-pages. */
export function BackLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <p className="text-sm">
      <Link className="link" href={href}>
        ← {children}
      </Link>
    </p>
  );
}
