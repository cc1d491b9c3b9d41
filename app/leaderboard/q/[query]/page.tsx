import type { Metadata } from "next";
import Link from "next/link";
import { LEADERBOARD_TARGETS } from "../../../../lib/constants";
import { listingParams } from "../../../../server/edge/publicQuery";
import { DEFAULT_DIRECTION, type SortKey } from "../../../../server/leaderboard/query";
import { MODEL_NAMES } from "../../../../training/model/names";
import { OPTIMIZER_KINDS } from "../../../../training/optimizers/spec";
import { SCHEDULE_KINDS } from "../../../../training/schedules/spec";
import { TRACK_LABELS, TRACKS } from "../../../../training/tracks";
import { publicApi } from "../../../../trpc/public";
import { duration, num, pct } from "../../../_components/leaderboard/format";
import { Sparkline } from "../../../_components/leaderboard/Sparkline";
import { Pager } from "../../../_components/nav/Pager";
import { hrefWith, parseLeaderboardParams } from "../../params";

export const metadata: Metadata = {
  title: "Leaderboard",
  description: "CIFAR-10 learning-rate schedules and optimizers ranked by mean final test accuracy over seeds, with 95% intervals.",
  twitter: { card: "summary_large_image" },
};

// `/leaderboard?…` is served from here (the proxy moves the query into the path: server/edge/publicQuery.ts),
// from Next's cache to strangers; rendered on first request, none at build.
type Props = { params: Promise<{ query: string }> };

// A fallback only: changes expire the page at once (server/edge/invalidate.ts, README "Caching").
export const revalidate = 60;
export function generateStaticParams(): { query: string }[] {
  return [];
}

const STANDING: Record<string, { text: string; className: string; title: string }> = {
  leader: {
    text: "leader",
    className: "bg-emerald-100 text-emerald-800",
    title: "Highest mean among rows of its trainer version with n ≥ 2 under these filters",
  },
  tied: {
    text: "tied",
    className: "bg-sky-100 text-sky-800",
    title: "Its 95% interval overlaps its version's leader's: not distinguishable from seed noise",
  },
  behind: { text: "", className: "", title: "" },
  "n<2": {
    text: "n<2",
    className: "bg-amber-100 text-amber-800",
    title: "Fewer than two succeeded seeds: no interval, so no claim either way",
  },
};

export default async function LeaderboardPage({ params }: Props) {
  const { input, issues } = parseLeaderboardParams(listingParams((await params).query));
  const result = await publicApi.leaderboard.list(input);
  const target = result.target;
  const offset = (result.page - 1) * result.pageSize;

  const SortHeader = ({ sort, children, className = "" }: { sort: SortKey; children: React.ReactNode; className?: string }) => {
    const active = result.sort === sort;
    const nextDir = active ? (result.dir === "desc" ? "asc" : "desc") : DEFAULT_DIRECTION[sort];
    return (
      <th
        className={`px-2 py-2 text-right font-medium ${className}`}
        aria-sort={active ? (result.dir === "desc" ? "descending" : "ascending") : undefined}
      >
        <Link className="link" href={hrefWith(input, { sort, dir: nextDir, page: undefined })}>
          {children}
          {active ? (result.dir === "desc" ? " ↓" : " ↑") : ""}
        </Link>
      </th>
    );
  };

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Leaderboard · CIFAR-10</h1>
        <p className="mt-1 max-w-4xl text-sm text-slate-600">
          One row per configuration (everything but the seed) and trainer version, over public, finished runs of one track: the full
          dataset, or the budget track ({TRACK_LABELS.budget}) for ranking without a GPU — rows never mix tracks; browser previews, other
          limits and validation splits never count. <b>n</b> is the number of distinct seeds that succeeded; accuracy is the final
          epoch&apos;s test accuracy, mean ± sample standard deviation, with a 95% Student t interval. Each trainer version has its own
          <b>leader</b>, the highest mean with n ≥ 2; rows of that version whose interval overlaps it are <b>tied</b> (overlap is the
          conservative reading: it does not prove the two are equal, but non-overlap would mean a real difference). Rows of different
          versions are never ranked against each other. Diverged and failed seeds are counted, not hidden.
        </p>
      </div>

      {issues.length > 0 ? (
        <p role="alert" className="text-sm text-amber-700">
          Ignored: {issues.join("; ")}.
        </p>
      ) : null}

      <nav aria-label="Tracks" className="flex gap-2 text-sm">
        {TRACKS.map((track) =>
          track === result.track ? (
            <span key={track} aria-current="page" className="rounded bg-slate-800 px-2 py-1 text-white">
              {TRACK_LABELS[track]}
            </span>
          ) : (
            <Link key={track} className="link rounded px-2 py-1" href={hrefWith(input, { track, page: undefined })}>
              {TRACK_LABELS[track]}
            </Link>
          ),
        )}
      </nav>

      <form
        method="get"
        action="/leaderboard"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm"
      >
        <input type="hidden" name="track" value={result.track} />
        <input type="hidden" name="sort" value={result.sort} />
        <input type="hidden" name="dir" value={result.dir} />
        <Select name="optimizer" label="Optimizer" value={input.optimizer} options={OPTIMIZER_KINDS} />
        <Select name="scheduleKind" label="Schedule" value={input.scheduleKind} options={SCHEDULE_KINDS} />
        <Select name="model" label="Model" value={input.model} options={MODEL_NAMES} />
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Epochs</span>
          <input
            name="epochs"
            type="number"
            min={1}
            defaultValue={input.epochs ?? ""}
            className="w-20 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Schedule text</span>
          <input
            name="q"
            type="search"
            defaultValue={input.q ?? ""}
            placeholder="e.g. cosine 0.1"
            className="w-44 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Target accuracy</span>
          <select name="target" defaultValue={String(target)} className="rounded border border-slate-300 px-2 py-1">
            {LEADERBOARD_TARGETS.map((t) => (
              <option key={t} value={t}>
                {t}%
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary">
          Apply
        </button>
        <Link href="/leaderboard" className="link">
          Reset
        </Link>
      </form>

      <p className="text-sm text-slate-600">
        {result.total} configuration{result.total === 1 ? "" : "s"}
        {result.leaders.length === 0
          ? " · no configuration with n ≥ 2 yet, so no leader"
          : result.leaders.map((leader) => (
              <span key={leader.trainerVersion}>
                {" "}
                · leader{result.leaders.length > 1 ? ` of ${leader.trainerVersion}` : ""} {pct(leader.meanAcc)} (95% CI {pct(leader.ciLow)}–
                {pct(leader.ciHigh)})
              </span>
            ))}
      </p>

      {result.rows.length === 0 ? (
        <p className="text-slate-600">No configurations match.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
              <tr>
                <th className="px-2 py-2 font-medium">#</th>
                <th className="px-2 py-2 font-medium">Configuration</th>
                <SortHeader sort="epochs">Epochs</SortHeader>
                <SortHeader sort="batchSize">Batch</SortHeader>
                <SortHeader sort="n">n</SortHeader>
                <SortHeader sort="meanAcc">Mean ± std</SortHeader>
                <SortHeader sort="ciLow">95% CI</SortHeader>
                <SortHeader sort="meanBestAcc">Best epoch</SortHeader>
                <SortHeader sort="epochsToTarget">Epochs to {target}%</SortHeader>
                <SortHeader sort="secondsToTarget">Time to {target}%</SortHeader>
                <SortHeader sort="diverged">Div.</SortHeader>
                <SortHeader sort="failed">Failed</SortHeader>
                <th className="px-2 py-2 font-medium" title="The numerics behind the row: rows of different versions are never pooled">
                  Version
                </th>
                <th className="px-2 py-2 font-medium">Val acc / epoch</th>
                <th className="px-2 py-2 font-medium">Comparisons</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row, i) => {
                const standing = STANDING[row.standing]!;
                return (
                  <tr
                    key={`${row.configHash} ${row.trainerVersion}`}
                    className="border-b border-slate-100 align-top last:border-0"
                    data-standing={row.standing}
                  >
                    <td className="px-2 py-2 tabular-nums text-slate-500">{offset + i + 1}</td>
                    <td className="px-2 py-2">
                      <Link className="link" href={entryHref(row)}>
                        {row.optimizer} · {row.schedule}
                      </Link>
                      <div className="text-xs text-slate-500">{row.model}</div>
                      {standing.text ? (
                        <span className={`rounded px-1.5 py-0.5 text-xs ${standing.className}`} title={standing.title}>
                          {standing.text}
                        </span>
                      ) : null}
                      {row.tuned ? (
                        <span
                          className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800"
                          title="Its lr was chosen on a validation split by a tuned comparison, then run with several seeds on the test set"
                          data-tuned
                        >
                          tuned
                        </span>
                      ) : null}
                    </td>
                    <td className="px-2 py-2 text-right tabular-nums">{row.epochs}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{row.batchSize}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{row.n}</td>
                    <td className="px-2 py-2 text-right font-mono tabular-nums">
                      {pct(row.meanAcc)}
                      {row.stdAcc !== null ? <span className="text-slate-500"> ± {pct(row.stdAcc)}</span> : null}
                    </td>
                    <td className="px-2 py-2 text-right font-mono tabular-nums text-slate-600">
                      {row.ciLow !== null ? `${pct(row.ciLow)}–${pct(row.ciHigh)}` : "–"}
                    </td>
                    <td className="px-2 py-2 text-right font-mono tabular-nums">{pct(row.meanBestAcc)}</td>
                    <td className="px-2 py-2 text-right tabular-nums">
                      {num(row.epochsToTarget)}
                      <div className="text-xs text-slate-500">
                        {row.reachedTarget}/{row.n} reached
                      </div>
                    </td>
                    <td className="px-2 py-2 text-right tabular-nums">{duration(row.secondsToTarget)}</td>
                    <td className={`px-2 py-2 text-right tabular-nums ${row.diverged > 0 ? "text-red-700" : "text-slate-400"}`}>
                      {row.diverged}
                    </td>
                    <td className={`px-2 py-2 text-right tabular-nums ${row.failed > 0 ? "text-red-700" : "text-slate-400"}`}>
                      {row.failed}
                    </td>
                    <td className="px-2 py-2 font-mono text-xs" title={row.backends ? `backends: ${row.backends}` : undefined}>
                      {row.trainerVersion}
                    </td>
                    <td className="px-2 py-2">
                      <Sparkline
                        values={row.curve}
                        label={`Mean val accuracy per epoch, ${pct(row.curve[0])} to ${pct(row.curve.at(-1))}`}
                      />
                    </td>
                    <td className="px-2 py-2 text-xs">
                      {row.comparisons.map((c) => (
                        <div key={c.slug}>
                          <Link className="link" href={`/c/${c.slug}`}>
                            {c.title}
                          </Link>
                        </div>
                      ))}
                      {row.comparisonCount > row.comparisons.length ? (
                        <Link className="link text-slate-500" href={entryHref(row)}>
                          +{row.comparisonCount - row.comparisons.length} more
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Pager page={result.page} pages={result.pages} href={(page) => hrefWith(input, { page })} />
    </div>
  );
}

function entryHref(row: { configHash: string; trainerVersion: string }): string {
  return `/leaderboard/${row.configHash}/v/${encodeURIComponent(row.trainerVersion)}`;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: readonly string[] }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-600">{label}</span>
      <select name={name} defaultValue={value ?? ""} className="rounded border border-slate-300 px-2 py-1">
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
