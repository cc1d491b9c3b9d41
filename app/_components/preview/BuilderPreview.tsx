"use client";
/**
 * The builder's "Preview in browser": its configs arrive in the URL fragment (`#runs=…`, see
 * previewHref), are validated with the same parser as everywhere, and previewed without storing.
 */
import { useEffect, useState } from "react";
import { parseRunConfig } from "../../../training/config";
import { PreviewLab, type DatasetStatus, type PreviewSource } from "./PreviewLab";
import { parsePreviewFragment } from "./handoff";

export function BuilderPreview({ dataset }: { dataset: DatasetStatus }) {
  const [sources, setSources] = useState<PreviewSource[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    try {
      const runs = parsePreviewFragment(window.location.hash);
      setSources(runs.map((run, i) => ({ key: `run-${i}`, label: run.label, config: parseRunConfig(run.config) })));
    } catch (error) {
      setProblem(
        `This preview link holds no valid runs (${(error as Error).message}). Open it from the comparison builder's “Preview in browser”.`,
      );
    }
  }, []);
  if (problem)
    return (
      <p role="alert" className="text-red-600">
        {problem}
      </p>
    );
  if (!sources) return <p className="text-slate-500">Loading…</p>;
  return <PreviewLab sources={sources} initialSelected={sources.map((s) => s.key)} dataset={dataset} slug={null} canAttach={false} />;
}
