"use client";
/** Pick two runs and see only the config fields that differ, side by side. */
import { useState } from "react";
import type { PresentedRun } from "../../../server/api/present";
import { configDiff } from "../../../training/configDiff";

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

export function ConfigDiff({ runs }: { runs: readonly PresentedRun[] }) {
  const [pick, setPick] = useState<{ a?: string; b?: string }>({});
  if (runs.length < 2) return null;
  const a = runs.find((r) => r.id === pick.a) ?? runs[0]!;
  const b = runs.find((r) => r.id === pick.b) ?? runs.find((r) => r !== a)!;
  const fields = configDiff(a.config, b.config);
  const select = (which: "a" | "b", value: PresentedRun) => (
    <select
      aria-label={`Run ${which.toUpperCase()}`}
      className="rounded border border-slate-300 px-2 py-1 text-sm"
      value={value.id}
      onChange={(event) => setPick({ ...pick, [which]: event.target.value })}
    >
      {runs.map((r) => (
        <option key={r.id} value={r.id}>
          {r.label}, seed {r.seed}
        </option>
      ))}
    </select>
  );
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <summary className="cursor-pointer font-semibold">Config diff</summary>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        A {select("a", a)} B {select("b", b)}
      </div>
      {fields.length === 0 ? (
        <p className="mt-2 text-slate-600">The two configs are identical.</p>
      ) : (
        <table className="mt-2 text-left" aria-label="Differing fields">
          <thead className="text-xs text-slate-600">
            <tr>
              <th className="py-1 pr-4 font-medium">Field</th>
              <th className="py-1 pr-4 font-medium">A</th>
              <th className="py-1 font-medium">B</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs">
            {fields.map((f) => (
              <tr key={f.path} className="border-t border-slate-100">
                <td className="py-1 pr-4">{f.path}</td>
                <td className="py-1 pr-4">{show(f.a)}</td>
                <td className="py-1">{show(f.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
