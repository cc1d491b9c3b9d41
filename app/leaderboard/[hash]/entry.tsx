import Link from "next/link";
import { notFound } from "next/navigation";
import { LEADERBOARD_TARGETS } from "../../../lib/constants";
import { publicApi } from "../../../trpc/public";
import { orNotFound } from "../../../trpc/server";
import { duration, num, pct } from "../../_components/leaderboard/format";
import { Sparkline } from "../../_components/leaderboard/Sparkline";

/**
 * One configuration at one trainer version (the latest when none is named): its statistics, the
 * public runs behind them, and the comparisons holding those runs. Rendered by the entry page and
 * its per-version page (`/leaderboard/<hash>/v/<version>`): a path, not a query, so both stay cached.
 */
export async function LeaderboardEntry({ hash, trainerVersion }: { hash: string; trainerVersion?: string }) {
  if (!/^[0-9a-f]{64}$/.test(hash)) notFound();
  const { row, config, runs, versions } = await orNotFound(() =>
    publicApi.leaderboard.config({ configHash: hash, ...(trainerVersion ? { trainerVersion } : {}) }),
  );
  const comparisons = [...new Map(runs.map((r) => [r.comparison.slug, r.comparison])).values()];
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link className="link" href="/leaderboard">
          ← Leaderboard
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">
        {row.optimizer} · {row.schedule}
      </h1>
      <p className="text-sm text-slate-600">
        {row.model} · {row.epochs} epochs · batch {row.batchSize} · config <code className="text-xs">{hash.slice(0, 12)}</code> · trainer
        version{" "}
        <code className="text-xs" data-testid="trainer-version">
          {row.trainerVersion}
        </code>
      </p>
      {versions.length > 1 ? (
        <p className="text-sm text-slate-600">
          Results of other trainer versions are kept apart:{" "}
          {versions
            .filter((v) => v.trainerVersion !== row.trainerVersion)
            .map((v) => (
              <Link key={v.trainerVersion} className="link mr-2" href={`/leaderboard/${hash}/v/${encodeURIComponent(v.trainerVersion)}`}>
                {v.trainerVersion} (n {v.n}, {pct(v.meanAcc, 2)})
              </Link>
            ))}
        </p>
      ) : null}
      <dl className="grid max-w-3xl grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-slate-500">Seeds (succeeded)</dt>
        <dd className="tabular-nums">{row.n}</dd>
        <dt className="text-slate-500">Diverged / failed</dt>
        <dd className="tabular-nums">
          {row.diverged} / {row.failed}
        </dd>
        <dt className="text-slate-500">Mean ± std</dt>
        <dd className="tabular-nums">
          {pct(row.meanAcc, 2)} {row.stdAcc !== null ? `± ${pct(row.stdAcc, 2)}` : ""}
        </dd>
        <dt className="text-slate-500">95% interval</dt>
        <dd className="tabular-nums">{row.ciLow !== null ? `${pct(row.ciLow, 2)}–${pct(row.ciHigh, 2)}` : "needs n ≥ 2"}</dd>
        <dt className="text-slate-500">Best-epoch acc (mean)</dt>
        <dd className="tabular-nums">{pct(row.meanBestAcc, 2)}</dd>
        <dt className="text-slate-500">Train time (mean)</dt>
        <dd className="tabular-nums">{duration(row.meanTrainSeconds)}</dd>
      </dl>
      <Sparkline values={row.curve} width={320} height={80} label="Mean val accuracy per epoch over the succeeded seeds" />
      <pre className="max-w-3xl overflow-x-auto rounded bg-slate-100 p-2 text-xs">{JSON.stringify(config, null, 2)}</pre>

      <h2 className="text-lg font-semibold">Runs</h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
            <tr>
              <th className="px-2 py-2 font-medium">Seed</th>
              <th className="px-2 py-2 font-medium">Status</th>
              <th className="px-2 py-2 text-right font-medium">Final acc</th>
              <th className="px-2 py-2 text-right font-medium">Best acc</th>
              {LEADERBOARD_TARGETS.map((t) => (
                <th key={t} className="px-2 py-2 text-right font-medium">
                  ep→{t}%
                </th>
              ))}
              <th className="px-2 py-2 font-medium">Backend</th>
              <th className="px-2 py-2 font-medium">Comparison</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} className="border-b border-slate-100 last:border-0">
                <td className="px-2 py-2 tabular-nums">
                  <Link className="link" href={`/c/${run.comparison.slug}/runs/${run.id}`}>
                    {run.seed}
                  </Link>
                  {run.counted ? null : (
                    <span className="ml-1 text-xs text-slate-500" title="Another run of this seed is the one counted">
                      (not counted: same seed)
                    </span>
                  )}
                  {run.reused ? <span className="ml-1 text-xs text-slate-500">(reused result)</span> : null}
                </td>
                <td className="px-2 py-2">{run.status}</td>
                <td className="px-2 py-2 text-right font-mono tabular-nums">{pct(run.finalValAcc, 2)}</td>
                <td className="px-2 py-2 text-right font-mono tabular-nums">{pct(run.bestValAcc, 2)}</td>
                {LEADERBOARD_TARGETS.map((t) => (
                  <td key={t} className="px-2 py-2 text-right tabular-nums">
                    {num(run.epochsToTarget[t], 0)}
                  </td>
                ))}
                <td className="px-2 py-2 text-xs">{run.backend ?? "–"}</td>
                <td className="px-2 py-2">
                  <Link className="link" href={`/c/${run.comparison.slug}`}>
                    {run.comparison.title}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-sm text-slate-600">
        In {comparisons.length} public comparison{comparisons.length === 1 ? "" : "s"}. Owners can queue more seeds with “Add seeds” on a
        run of theirs.
      </p>
    </div>
  );
}
