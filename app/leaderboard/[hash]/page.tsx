import type { Metadata } from "next";
import { LeaderboardEntry } from "./entry";

export const metadata: Metadata = { title: "Leaderboard entry" };

// Served from Next's cache to strangers (see README, "Caching"); rendered on first request, none at build.
export const revalidate = 1;
export function generateStaticParams(): { hash: string }[] {
  return [];
}

export default async function LeaderboardEntryPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  return <LeaderboardEntry hash={hash} />;
}
