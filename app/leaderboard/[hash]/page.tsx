import type { Metadata } from "next";
import { LeaderboardEntry } from "./entry";

export const metadata: Metadata = { title: "Leaderboard entry" };

// Served from Next's cache to strangers (see README, "Caching"); rendered on first request, none at build.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { hash: string }[] {
  return [];
}

export default async function LeaderboardEntryPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  return <LeaderboardEntry hash={hash} />;
}
