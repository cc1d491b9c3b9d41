import type { Metadata } from "next";
import { LeaderboardEntry } from "../../entry";

export const metadata: Metadata = { title: "Leaderboard entry" };

// Cached like the entry page: one version of a configuration's results.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { hash: string; version: string }[] {
  return [];
}

export default async function LeaderboardVersionPage({ params }: { params: Promise<{ hash: string; version: string }> }) {
  const { hash, version } = await params;
  return <LeaderboardEntry hash={hash} trainerVersion={decodeURIComponent(version)} />;
}
