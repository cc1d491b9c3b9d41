/** The frame of every share-card image (next/og): a title, one line under it, the body, the site's name. */
import type { ReactNode } from "react";

export const CARD_SIZE = { width: 1200, height: 630 };

/**
 * ImageResponse would send `max-age=0`; the cards are cached like the pages (README, "Caching"):
 * fresh for 1 s, served stale for at most 1 s more.
 */
export const CARD_HEADERS = { "cache-control": "public, s-maxage=1, stale-while-revalidate=1" };

export function ShareCard({ title, subtitle, footer, children }: { title: string; subtitle: string; footer: string; children: ReactNode }) {
  return (
    <div
      style={{
        display: "flex",
        flexDirection: "column",
        width: "100%",
        height: "100%",
        background: "#f8fafc",
        padding: 48,
        color: "#0f172a",
      }}
    >
      <div style={{ display: "flex", fontSize: 44, fontWeight: 700 }}>{title.slice(0, 70)}</div>
      <div style={{ display: "flex", fontSize: 22, color: "#475569", marginTop: 8 }}>{subtitle.slice(0, 110)}</div>
      {children}
      <div style={{ display: "flex", marginTop: "auto", fontSize: 20, color: "#64748b" }}>{footer}</div>
    </div>
  );
}
