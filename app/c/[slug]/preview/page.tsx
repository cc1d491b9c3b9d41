import type { Metadata } from "next";
import { BackLink } from "../../../_components/nav/BackLink";
import { notFound } from "next/navigation";
import { slugSchema } from "../../../../lib/schemas";
import { TRPCReactProvider } from "../../../../trpc/react";
import { api, orNotFound } from "../../../../trpc/server";
import { PreviewLab, type PreviewSource } from "../../../_components/preview/PreviewLab";
import { datasetStatus } from "../../../preview/dataset";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

async function load(slug: string) {
  if (!slugSchema.safeParse(slug).success) notFound();
  return orNotFound(() => api.comparisons.bySlug({ slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const comparison = await load((await params).slug);
  return { title: `Preview: ${comparison.title}`, robots: { index: false } };
}

/** Previews of a comparison's runs in the browser; `?run=ID` preselects one run. */
export default async function ComparisonPreviewPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const comparison = await load(slug);
  const full = comparison.runs.filter((run) => run.kind === "full");
  const sources: PreviewSource[] = full.map((run) => ({ key: run.id, label: `${run.label}, seed ${run.seed}`, config: run.config }));
  const asked = (await searchParams).run;
  const wanted = typeof asked === "string" && sources.some((s) => s.key === asked) ? [asked] : null;
  // By default one run per config (its first seed).
  const firstOfGroup = full.filter((run, i) => full.findIndex((r) => r.group === run.group) === i).map((run) => run.id);
  return (
    <div className="space-y-4">
      <BackLink href={`/c/${slug}`}>{comparison.title}</BackLink>
      <h1 className="text-2xl font-semibold">Preview in browser</h1>
      {sources.length === 0 ? (
        <p className="text-slate-600">This comparison has no runs to preview.</p>
      ) : (
        <TRPCReactProvider>
          <PreviewLab
            sources={sources}
            initialSelected={wanted ?? firstOfGroup}
            dataset={await datasetStatus()}
            slug={slug}
            canAttach={comparison.isOwner}
          />
        </TRPCReactProvider>
      )}
    </div>
  );
}
