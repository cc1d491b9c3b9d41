/**
 * On-demand invalidation of the cached public pages. A change made through the web app (a
 * comparison created, edited, re-scoped or deleted, runs queued, canceled or seeded) expires every
 * cached page at once, so its author's next look — and a stranger's — is fresh, and a comparison
 * made private stops being served at once. Changes written by workers (epochs, finishes, the
 * leaderboard refresh in the same transaction) reach strangers through the pages' 1 s revalidate
 * window and 2 s expiry instead (README, "Caching"): they happen outside this process.
 */
import "server-only";
import { revalidatePath } from "next/cache";

export function expirePublicPages(): void {
  // The root layout holds every page: one call covers them all (mutations are rare next to views).
  revalidatePath("/", "layout");
}
