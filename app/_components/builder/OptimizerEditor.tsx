"use client";
/** The optimizer's kind and fields; the learning rate itself comes from the schedule. */
import type { OptimizerInput, OptimizerKind } from "../../../training/optimizers/spec";
import { fieldLabel, formatDefault, newOptimizer, OPTIMIZER_KIND_LABELS, OPTIMIZER_KINDS, optimizerFieldsOf } from "./fields";
import { CheckboxField, NumberField, SelectField } from "./inputs";
import type { IssueIndex } from "./issues";

const kindOptions = OPTIMIZER_KINDS.map((kind) => ({ value: kind, label: OPTIMIZER_KIND_LABELS[kind] }));

export function OptimizerEditor({
  value,
  onChange,
  issues,
}: {
  value: OptimizerInput;
  onChange: (value: OptimizerInput) => void;
  issues: IssueIndex;
}) {
  const spec = value as Record<string, unknown> & { kind: OptimizerKind };
  const set = (name: string, fieldValue: unknown) => {
    const next: Record<string, unknown> = { ...spec };
    if (fieldValue === undefined) delete next[name];
    else next[name] = fieldValue;
    onChange(next as OptimizerInput);
  };
  return (
    <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
      <SelectField
        label="Optimizer"
        value={spec.kind}
        options={kindOptions}
        error={issues.at("config.optimizer.kind")}
        onChange={(kind) => onChange(newOptimizer(kind))}
      />
      {optimizerFieldsOf(spec.kind).map((field) =>
        field.kind === "boolean" ? (
          <div key={field.name} className="self-end pb-1">
            <CheckboxField
              label={fieldLabel(field.name)}
              checked={Boolean(spec[field.name] ?? field.defaultValue)}
              onChange={(checked) => set(field.name, checked)}
              error={issues.at(`config.optimizer.${field.name}`)}
            />
          </div>
        ) : (
          <NumberField
            key={field.name}
            label={fieldLabel(field.name)}
            value={spec[field.name] as number | undefined}
            placeholder={field.defaultValue !== undefined ? `default ${formatDefault(field.defaultValue)}` : undefined}
            onChange={(n) => set(field.name, n)}
            error={issues.at(`config.optimizer.${field.name}`)}
          />
        ),
      )}
    </div>
  );
}
