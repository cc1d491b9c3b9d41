"use client";
/** Differences in final test accuracy with a 95% Welch interval: each config against the best, and any two picked. */
import { useState } from "react";
import type { Difference } from "../../../lib/stats/welch";
import { bestGroup, compareGroups, referenceOf, type SeedGroup } from "./differences";

const meanOf = (g: SeedGroup) => g.values.reduce((s, v) => s + v, 0) / g.values.length;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const signed = (v: number) => `${v >= 0 ? "+" : "−"}${(Math.abs(v) * 100).toFixed(2)}`;

function describe(d: Difference | null, a: SeedGroup, b: SeedGroup): string {
  if (!d) return "needs at least 2 succeeded seeds on each side";
  const verdict = d.verdict === "A better" ? `${a.label} better` : d.verdict === "B better" ? `${b.label} better` : d.verdict;
  return `${signed(d.diff)} points [${signed(d.low)}, ${signed(d.high)}] (95% Welch, df ${d.df === Infinity ? "∞" : d.df.toFixed(1)}): ${verdict}`;
}

export function Differences({ groups }: { groups: readonly SeedGroup[] }) {
  const best = bestGroup(groups);
  const versions = new Set(groups.map((g) => g.version)).size;
  const [pick, setPick] = useState<{ a?: string; b?: string }>({});
  if (groups.length < 2) return null;
  const a = groups.find((g) => g.key === pick.a) ?? groups[0]!;
  const b = groups.find((g) => g.key === pick.b) ?? groups.find((g) => g !== a)!;
  const select = (which: "a" | "b", value: SeedGroup) => (
    <select
      aria-label={`Config ${which.toUpperCase()}`}
      className="rounded border border-slate-300 px-2 py-1 text-sm"
      value={value.key}
      onChange={(event) => setPick({ ...pick, [which]: event.target.value })}
    >
      {groups.map((g) => (
        <option key={g.key} value={g.key}>
          {g.label} (n = {g.values.length})
        </option>
      ))}
    </select>
  );
  return (
    <section aria-label="Differences" className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <h2 className="font-semibold">Differences in final test accuracy</h2>
      {best ? (
        <table className="w-full text-left">
          <thead className="text-xs text-slate-600">
            <tr>
              <th className="py-1 font-medium">Config</th>
              <th className="py-1 text-right font-medium">n</th>
              <th className="py-1 text-right font-medium">Mean</th>
              <th className="py-1 font-medium">
                {versions > 1 ? "Against the best of its trainer version" : `Against the best, ${best.label} (${pct(meanOf(best))})`}
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const reference = referenceOf(groups, g);
              return (
                <tr key={g.key} className="border-t border-slate-100" data-testid="difference-row">
                  <td className="py-1">{g.label}</td>
                  <td className="py-1 text-right tabular-nums">{g.values.length}</td>
                  <td className="py-1 text-right font-mono tabular-nums">{pct(meanOf(g))}</td>
                  <td className="py-1 font-mono text-xs">
                    {g === reference
                      ? "the best"
                      : reference
                        ? `${versions > 1 ? `vs ${reference.label}: ` : ""}${describe(compareGroups(g, reference), g, reference)}`
                        : "no config of this version has 2 succeeded seeds"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="text-slate-600">No config has 2 succeeded seeds yet: add seeds to get intervals.</p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        A {select("a", a)} − B {select("b", b)}
        <span className="font-mono text-xs" data-testid="pair-difference">
          {describe(compareGroups(a, b), a, b)}
        </span>
      </div>
    </section>
  );
}
