import Link from "next/link";
import { viewerUser } from "../../../server/edge/viewer";
import { AccountMenu } from "./AccountMenu";

export async function SiteHeader() {
  // Signed in means draft mode, never a cached page: the account menu never enters cached HTML.
  const user = await viewerUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-4 px-4 py-2">
        <Link href="/" className="font-semibold text-slate-900">
          LR Lab
        </Link>
        <Link href="/browse" className="link text-sm">
          Browse
        </Link>
        <Link href="/leaderboard" className="link text-sm">
          Leaderboard
        </Link>
        <Link href="/race" className="link text-sm">
          Race
        </Link>
        <Link href="/comparisons/new" className="link text-sm">
          New comparison
        </Link>
        <div className="ml-auto flex items-center gap-2">
          {user ? (
            <AccountMenu name={user.name} />
          ) : (
            <>
              <Link href="/sign-in" className="btn-secondary">
                Sign in
              </Link>
              <Link href="/sign-up" className="btn-primary">
                Sign up
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
