"use client";
/** One run of the comparison: optimizer, schedule, length, batch size, seeds, data subsets. */
import { useId } from "react";
import type { FieldIssue } from "../../../training/errors";
import type { DraftRun } from "./draft";
import { FindLr } from "./FindLr";
import { CheckboxField, NumberField, NumberListField } from "./inputs";
import { IssueIndex, unplacedIssues } from "./issues";
import { OptimizerEditor } from "./OptimizerEditor";
import { ScheduleEditor } from "./ScheduleEditor";
import { DEFAULT_FINAL_SEEDS, DEFAULT_SWEEP_SIZE } from "../../../training/tuning/sweep";

interface Props {
  index: number;
  draft: DraftRun;
  label: string;
  color: string;
  issues: readonly FieldIssue[];
  onChange: (draft: DraftRun) => void;
  onRemove: () => void;
  onDuplicate: () => void;
}

export function RunEditor({ index, draft, label, color, issues, onChange, onRemove, onDuplicate }: Props) {
  const headingId = useId();
  const index_ = new IssueIndex(issues);
  const config = draft.config;
  const setConfig = (patch: Record<string, unknown>) => {
    const next: Record<string, unknown> = { ...config, ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
    onChange({ ...draft, config: next as DraftRun["config"] });
  };
  const unplaced = unplacedIssues(issues, config);

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <div className="flex items-start gap-2">
        <span className="mt-1.5 inline-block h-3 w-3 shrink-0 rounded-full" style={{ background: color }} aria-hidden="true" />
        <h3 id={headingId} className="flex-1 text-sm font-semibold">
          Run {index + 1}
          <span className="ml-2 font-normal text-slate-500">{label}</span>
        </h3>
        <button type="button" className="btn-secondary" onClick={onDuplicate} aria-label={`Duplicate run ${index + 1}`}>
          Duplicate
        </button>
        <button type="button" className="btn-secondary" onClick={onRemove} aria-label={`Remove run ${index + 1}`}>
          Remove
        </button>
      </div>
      <OptimizerEditor value={config.optimizer} onChange={(optimizer) => setConfig({ optimizer })} issues={index_} />
      <ScheduleEditor
        value={config.schedule}
        onChange={(schedule) => setConfig({ schedule })}
        path="config.schedule"
        issues={index_}
        epochs={config.epochs}
      />
      <FindLr runNumber={index + 1} config={config} seed={draft.seeds[0] ?? 0} onUse={(schedule) => setConfig({ schedule })} />
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
        <NumberField label="Epochs" value={config.epochs} onChange={(epochs) => setConfig({ epochs })} error={index_.at("config.epochs")} />
        <NumberField
          label="Batch size"
          value={config.batchSize}
          onChange={(batchSize) => setConfig({ batchSize })}
          error={index_.at("config.batchSize")}
        />
        <NumberListField
          label="Seeds"
          value={draft.seeds}
          onChange={(seeds) => onChange({ ...draft, seeds })}
          error={index_.at("seeds", true)}
          hint="One run per seed; several draw a band"
        />
        <NumberField
          label="Training images"
          value={config.trainLimit}
          placeholder="all 50000"
          onChange={(trainLimit) => setConfig({ trainLimit })}
          error={index_.at("config.trainLimit")}
        />
        <NumberField
          label="Test images"
          value={config.testLimit}
          placeholder="all 10000"
          onChange={(testLimit) => setConfig({ testLimit })}
          error={index_.at("config.testLimit")}
        />
        <NumberField
          label="Validation images"
          value={config.valSplit}
          placeholder="none (val = test)"
          onChange={(valSplit) => setConfig({ valSplit })}
          error={index_.at("config.valSplit")}
        />
        <div className="self-end pb-1">
          <CheckboxField
            label="Augmentation"
            checked={Boolean(config.augment)}
            onChange={(augment) => setConfig({ augment })}
            error={index_.at("config.augment")}
          />
        </div>
      </div>
      <div className="space-y-2 rounded border border-slate-200 p-2">
        <CheckboxField
          label="Tune lr (sweep on the validation split, then the best lr with k seeds)"
          checked={draft.tune !== undefined}
          onChange={(on) => {
            if (!on) {
              const { tune: _tune, ...rest } = draft;
              onChange(rest);
            } else onChange({ ...draft, tune: { n: DEFAULT_SWEEP_SIZE, k: DEFAULT_FINAL_SEEDS, halving: false } });
          }}
          error={index_.at("tune")}
        />
        {draft.tune ? (
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            <NumberField
              label="Learning rates (n)"
              value={draft.tune.n}
              onChange={(n) => onChange({ ...draft, tune: { ...draft.tune, n } })}
              error={index_.at("tune.n")}
            />
            <NumberField
              label="Final seeds (k)"
              value={draft.tune.k}
              onChange={(k) => onChange({ ...draft, tune: { ...draft.tune, k } })}
              error={index_.at("tune.k")}
            />
            <div className="self-end pb-1">
              <CheckboxField
                label="Successive halving"
                checked={Boolean(draft.tune.halving)}
                onChange={(halving) => onChange({ ...draft, tune: { ...draft.tune, halving } })}
                error={index_.at("tune.halving")}
              />
            </div>
            <p className="col-span-full text-xs text-slate-500">
              The range is a decade either side of this config&apos;s latest LR range test&apos;s suggestions, else 1e-4 … 1. The first seed
              seeds the sweep; the final runs use it and the next k − 1.
            </p>
          </div>
        ) : null}
      </div>
      {unplaced.length > 0 ? (
        <ul className="list-inside list-disc text-xs text-red-600" aria-label={`Other problems with run ${index + 1}`}>
          {unplaced.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? `${issue.path.replace(/^config\./, "")}: ${issue.message}` : issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
