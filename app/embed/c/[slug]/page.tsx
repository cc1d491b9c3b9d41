import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { slugSchema } from "../../../../lib/schemas";
import { TRPCReactProvider } from "../../../../trpc/react";
import { publicTrpc } from "../../../../trpc/public";
import { getQueryClient, HydrateClient, orNotFound } from "../../../../trpc/server";
import { EmbedCharts } from "../../../_components/comparison/EmbedCharts";

// A comparison's charts for other sites' frames (server/edge/framing.ts allows any); cached like
// the comparison page, and a 404 where the page is one.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { slug: string }[] {
  return [];
}

type Props = { params: Promise<{ slug: string }> };

async function load(slug: string) {
  if (!slugSchema.safeParse(slug).success) notFound();
  return orNotFound(() => getQueryClient().query(publicTrpc.comparisons.bySlug.queryOptions({ slug })));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const comparison = await load((await params).slug);
  return { title: comparison.title, robots: { index: false } };
}

export default async function EmbedPage({ params }: Props) {
  const { slug } = await params;
  await load(slug);
  // Prefetch: a failure here leaves the client to fetch the metrics itself.
  await getQueryClient()
    .query(publicTrpc.metrics.forComparison.queryOptions({ slug }))
    .catch(() => undefined);
  return (
    <TRPCReactProvider>
      <HydrateClient>
        {/* The root layout's site header has no place inside someone else's page. */}
        <style>{"body > header { display: none; } body > main { padding: 0.5rem; max-width: none; }"}</style>
        <EmbedCharts slug={slug} />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
