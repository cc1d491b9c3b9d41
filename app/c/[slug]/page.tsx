import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { slugSchema } from "../../../lib/schemas";
import { currentUser } from "../../../server/auth/session";
import { TRPCReactProvider } from "../../../trpc/react";
import { getQueryClient, HydrateClient, orNotFound, trpc } from "../../../trpc/server";
import { ComparisonView } from "../../_components/comparison/ComparisonView";
import { parseViewParams } from "../../_components/comparison/viewParams";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Loads the comparison into this request's query cache; unknown, malformed and hidden slugs are 404s. */
async function load(slug: string) {
  if (!slugSchema.safeParse(slug).success) notFound();
  return orNotFound(() => getQueryClient().fetchQuery(trpc.comparisons.bySlug.queryOptions({ slug })));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const comparison = await load((await params).slug);
  return { title: comparison.title, robots: comparison.visibility === "public" ? undefined : { index: false } };
}

export default async function ComparisonPage({ params, searchParams }: Props) {
  const { slug } = await params;
  await load(slug);
  await getQueryClient().prefetchQuery(trpc.metrics.forComparison.queryOptions({ slug }));
  const { options, issues } = parseViewParams(await searchParams);
  const user = await currentUser();
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <ComparisonView slug={slug} signedIn={user !== null} initialView={options} viewIssues={issues} />
      </HydrateClient>
    </TRPCReactProvider>
  );
}
