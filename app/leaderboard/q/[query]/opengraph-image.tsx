import { ImageResponse } from "next/og";
import { listingParams } from "../../../../server/edge/publicQuery";
import { publicApi } from "../../../../trpc/public";
import { pct } from "../../../_components/leaderboard/format";
import { CARD_HEADERS, CARD_SIZE, ShareCard } from "../../../_components/share/ShareCard";
import { parseLeaderboardParams } from "../../params";

// The leaderboard's share card: the top rows of the view the link shows. Cached like the page.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { query: string }[] {
  return [];
}
export const size = CARD_SIZE;
export const contentType = "image/png";
export const alt = "The top rows of the LR Lab leaderboard";

export default async function Image({ params }: { params: Promise<{ query: string }> }) {
  const { input } = parseLeaderboardParams(listingParams((await params).query));
  const result = await publicApi.leaderboard.list({ ...input, page: 1 });
  const rows = result.rows.slice(0, 6);
  return new ImageResponse(
    <ShareCard
      title="Leaderboard · CIFAR-10"
      subtitle={`${result.total} configurations · mean final test accuracy over seeds, 95% intervals`}
      footer="LR Lab"
    >
      <div style={{ display: "flex", flexDirection: "column", marginTop: 28, gap: 12, fontSize: 26 }}>
        {rows.map((row, i) => (
          <div key={row.configHash} style={{ display: "flex", background: "white", border: "1px solid #e2e8f0", padding: "10px 16px" }}>
            <div style={{ display: "flex", width: 50, color: "#64748b" }}>{i + 1}</div>
            <div style={{ display: "flex", flex: 1 }}>{`${row.optimizer} · ${row.schedule}`.slice(0, 60)}</div>
            <div style={{ display: "flex", width: 240, justifyContent: "flex-end" }}>
              {pct(row.meanAcc)}
              {row.stdAcc !== null ? ` ± ${pct(row.stdAcc)}` : ""}
            </div>
            <div style={{ display: "flex", width: 90, justifyContent: "flex-end", color: "#64748b" }}>n={row.n}</div>
          </div>
        ))}
        {rows.length === 0 ? <div style={{ display: "flex", color: "#64748b" }}>No finished public runs yet.</div> : null}
      </div>
    </ShareCard>,
    { ...CARD_SIZE, headers: CARD_HEADERS },
  );
}
