import type { Metadata } from "next";
import { BackLink } from "../../../../_components/nav/BackLink";
import { notFound } from "next/navigation";
import { runIdInput, slugSchema } from "../../../../../lib/schemas";
import { publicApi } from "../../../../../trpc/public";
import { orNotFound } from "../../../../../trpc/server";

// Served from Next's cache to strangers (see README, "Caching"); rendered on first request, none at build.
// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { slug: string; runId: string }[] {
  return [];
}

type Props = { params: Promise<{ slug: string; runId: string }> };

async function load({ slug, runId }: { slug: string; runId: string }) {
  if (!slugSchema.safeParse(slug).success || !runIdInput.safeParse({ runId }).success) notFound();
  const result = await orNotFound(() => publicApi.runs.get({ runId }));
  // A run id under another comparison's link is not a page either.
  if (result.comparison.slug !== slug) notFound();
  return result;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { run } = await load(await params);
  return { title: `${run.label} (seed ${run.seed})` };
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

export default async function RunPage({ params }: Props) {
  const { slug, runId } = await params;
  const { run, comparison, metrics } = await load({ slug, runId });
  return (
    <div className="space-y-4">
      <BackLink href={`/c/${slug}`}>{comparison.title}</BackLink>
      <h1 className="text-2xl font-semibold">
        {run.label} <span className="text-base font-normal text-slate-500">seed {run.seed}</span>
      </h1>
      <p className="text-sm text-slate-600">
        {run.status} · {run.epochsCompleted} of {run.totalEpochs} epochs
        {run.error ? <span className="block text-red-600">{run.error}</span> : null}
      </p>
      <p className="text-sm text-slate-600" data-testid="validation-label">
        {run.config.valSplit
          ? `Validation: ${run.config.valSplit.toLocaleString("en")} training images held out (class-balanced, the same for every seed); test: the test set.`
          : "No validation split: validation metrics are measured on the test set."}
      </p>
      <section aria-label="Configuration" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 text-sm font-semibold">Configuration</h2>
        <pre className="overflow-x-auto text-xs">{JSON.stringify(run.config, null, 2)}</pre>
      </section>
      <section aria-label="Epochs" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-right text-sm">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              {["Epoch", "lr", "Loss", "Acc", "Val loss", "Val acc", "Test loss", "Test acc", "Seconds", "Images/s"].map((h) => (
                <th key={h} className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="font-mono tabular-nums">
            {metrics.epoch.map((epoch, i) => (
              <tr key={epoch} className="border-t border-slate-100">
                <td className="px-3 py-1">{epoch + 1}</td>
                <td className="px-3 py-1">{fmt(metrics.lr[i]!)}</td>
                <td className="px-3 py-1">{fmt(metrics.loss[i]!)}</td>
                <td className="px-3 py-1">{fmt(metrics.acc[i]!)}</td>
                <td className="px-3 py-1">{fmt(metrics.valLoss[i]!)}</td>
                <td className="px-3 py-1">{fmt(metrics.valAcc[i]!)}</td>
                <td className="px-3 py-1">{Number.isNaN(metrics.testLoss[i]) ? "–" : fmt(metrics.testLoss[i]!)}</td>
                <td className="px-3 py-1">{Number.isNaN(metrics.testAcc[i]) ? "–" : fmt(metrics.testAcc[i]!)}</td>
                <td className="px-3 py-1">{fmt(metrics.seconds[i]!)}</td>
                <td className="px-3 py-1">{fmt(metrics.imagesPerSec[i]!)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {metrics.epoch.length === 0 ? <p className="p-4 text-center text-sm text-slate-500">No epochs recorded yet.</p> : null}
      </section>
    </div>
  );
}
