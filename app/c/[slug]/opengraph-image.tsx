import { ImageResponse } from "next/og";
import { notFound } from "next/navigation";
import { slugSchema } from "../../../lib/schemas";
import { cardPolylines } from "../../../server/edge/cardChart";
import { comparisonDescription } from "../../../server/edge/shareCard";
import { publicApi } from "../../../trpc/public";
import { orNotFound } from "../../../trpc/server";
import { buildCharts } from "../../_components/comparison/series";
import { CARD_HEADERS, CARD_SIZE, ShareCard } from "../../_components/share/ShareCard";

// The share card of a comparison: its val-accuracy curves with their legend. Cached like the page
// (README, "Caching"); a private comparison's card is a 404 like its page.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { slug: string }[] {
  return [];
}
export const size = CARD_SIZE;
export const contentType = "image/png";
export const alt = "Validation accuracy per epoch of each run";

const CHART = { width: 760, height: 420 };
const LEGEND_ROWS = 10;

export default async function Image({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!slugSchema.safeParse(slug).success) notFound();
  const comparison = await orNotFound(() => publicApi.comparisons.bySlug({ slug }));
  const metrics = await publicApi.metrics.forComparison({ slug });
  const valAcc = buildCharts(comparison.runs, metrics, { x: "epoch", smoothing: 0 }).find((chart) => chart.metric === "valAcc");
  const lines = cardPolylines(valAcc?.lines ?? [], CHART.width, CHART.height);
  return new ImageResponse(
    <ShareCard title={comparison.title} subtitle={comparisonDescription(comparison.runs)} footer="LR Lab · CIFAR-10">
      <div style={{ display: "flex", marginTop: 28, gap: 32 }}>
        <div style={{ display: "flex", flexDirection: "column" }}>
          <div style={{ display: "flex", fontSize: 18, color: "#64748b" }}>Validation accuracy per epoch</div>
          <svg
            width={CHART.width}
            height={CHART.height}
            viewBox={`0 0 ${CHART.width} ${CHART.height}`}
            style={{ background: "white", border: "1px solid #e2e8f0" }}
          >
            {[0.25, 0.5, 0.75].map((v) => (
              <line
                key={v}
                x1={0}
                x2={CHART.width}
                y1={(1 - v) * CHART.height}
                y2={(1 - v) * CHART.height}
                stroke="#e2e8f0"
                strokeWidth={1}
              />
            ))}
            {lines.map((line) => (
              <polyline key={line.label} points={line.points} fill="none" stroke={line.color} strokeWidth={4} strokeLinejoin="round" />
            ))}
          </svg>
        </div>
        <div style={{ display: "flex", flexDirection: "column", gap: 10, fontSize: 20, marginTop: 28 }}>
          {lines.slice(0, LEGEND_ROWS).map((line) => (
            <div key={line.label} style={{ display: "flex", alignItems: "center", gap: 10 }}>
              <div style={{ display: "flex", width: 22, height: 6, background: line.color }} />
              <div style={{ display: "flex" }}>{line.label.slice(0, 28)}</div>
            </div>
          ))}
          {lines.length > LEGEND_ROWS ? <div style={{ display: "flex", color: "#64748b" }}>+{lines.length - LEGEND_ROWS} more</div> : null}
        </div>
      </div>
    </ShareCard>,
    { ...CARD_SIZE, headers: CARD_HEADERS },
  );
}
