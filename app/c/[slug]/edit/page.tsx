import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { env } from "../../../../env";
import { limitsFromEnv } from "../../../../server/api/limits";
import { slugSchema } from "../../../../lib/schemas";
import { currentUser } from "../../../../server/auth/session";
import { TRPCReactProvider } from "../../../../trpc/react";
import { api, orNotFound } from "../../../../trpc/server";
import { ComparisonBuilder } from "../../../_components/builder/ComparisonBuilder";

export const metadata: Metadata = { title: "Edit comparison" };

export default async function EditComparisonPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!slugSchema.safeParse(slug).success) notFound();
  if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(`/c/${slug}/edit`)}`);
  const comparison = await orNotFound(() => api.comparisons.bySlug({ slug }));
  // Only the owner edits (the procedures enforce it too); to anyone else there is no such page.
  if (!comparison.isOwner) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Edit “{comparison.title}”</h1>
      <TRPCReactProvider>
        <ComparisonBuilder
          mode="edit"
          slug={slug}
          limits={limitsFromEnv(env)}
          initial={{ title: comparison.title, description: comparison.description, visibility: comparison.visibility }}
          existing={comparison.runs.map((run) => ({ id: run.id, label: run.label, seed: run.seed, config: run.config }))}
        />
      </TRPCReactProvider>
    </div>
  );
}
