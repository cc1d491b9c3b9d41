import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { slugSchema } from "../../../lib/schemas";
import { comparisonDescription } from "../../../server/edge/shareCard";
import { viewerUser } from "../../../server/edge/viewer";
import { TRPCReactProvider } from "../../../trpc/react";
import { publicTrpc } from "../../../trpc/public";
import { getQueryClient, HydrateClient, orNotFound } from "../../../trpc/server";
import { ComparisonView } from "../../_components/comparison/ComparisonView";

type Props = { params: Promise<{ slug: string }> };

// Served from Next's cache to strangers (see README, "Caching"); rendered on first request, none at build.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { slug: string }[] {
  return [];
}

/** Loads the comparison into this request's query cache; unknown, malformed and hidden slugs are 404s. */
async function load(slug: string) {
  if (!slugSchema.safeParse(slug).success) notFound();
  return orNotFound(() => getQueryClient().query(publicTrpc.comparisons.bySlug.queryOptions({ slug })));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const comparison = await load((await params).slug);
  const description = comparisonDescription(comparison.runs);
  // The card image is ./opengraph-image.tsx (Next adds it to both cards).
  return {
    title: comparison.title,
    description,
    openGraph: { title: comparison.title, description, type: "article" },
    twitter: { card: "summary_large_image", title: comparison.title, description },
    robots: comparison.visibility === "public" ? undefined : { index: false },
  };
}

export default async function ComparisonPage({ params }: Props) {
  const { slug } = await params;
  await load(slug);
  // Prefetch: a failure here leaves the client to fetch the metrics itself.
  await getQueryClient()
    .query(publicTrpc.metrics.forComparison.queryOptions({ slug }))
    .catch(() => undefined);
  const user = await viewerUser();
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <ComparisonView slug={slug} signedIn={user !== null} />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
