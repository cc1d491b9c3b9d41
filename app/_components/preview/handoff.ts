/** Builder → preview page: the runs travel in the URL fragment, so they never reach a server log. Pure. */
import type { RunConfig } from "../../../training/config";

export interface HandedRun {
  label: string;
  config: RunConfig;
}

export function previewHref(runs: readonly HandedRun[]): string {
  return `/preview#runs=${encodeURIComponent(JSON.stringify(runs))}`;
}

/** The runs in `#runs=…` (configs still to be validated by the caller); throws when malformed. */
export function parsePreviewFragment(hash: string): { label: string; config: unknown }[] {
  const raw = /^#?runs=(.*)$/s.exec(hash)?.[1];
  if (raw === undefined) throw new Error("no runs in the link");
  const value: unknown = JSON.parse(decodeURIComponent(raw));
  if (!Array.isArray(value) || value.length === 0) throw new Error("no runs in the link");
  return value.map((item: unknown, i) => {
    const run = item as { label?: unknown; config?: unknown } | null;
    if (!run || typeof run.label !== "string") throw new Error(`run ${i + 1} has no label`);
    return { label: run.label.slice(0, 200), config: run.config };
  });
}
