"use client";
/**
 * Edits one schedule of any kind, its inputs generated from the schema (./fields.ts). A
 * `sequence` nests further editors, one per part; `expression` gets the formula editor.
 */
import { FUNCTION_NAMES, VARIABLE_NAMES } from "../../../training/expression";
import { SCHEDULE_PRESET_NAMES, SCHEDULE_PRESETS, type ScheduleInput, type ScheduleKind } from "../../../training/schedules";
import { fieldLabel, formatDefault, newSchedule, SCHEDULE_KIND_LABELS, SCHEDULE_KINDS, scheduleFieldsOf, type FieldSpec } from "./fields";
import { CheckboxField, NumberField, NumberListField, SelectField, TextField } from "./inputs";
import type { IssueIndex } from "./issues";

type Spec = Record<string, unknown> & { kind: ScheduleKind };
type Part = { epochs?: number; schedule: ScheduleInput };

interface Props {
  value: ScheduleInput;
  onChange: (value: ScheduleInput) => void;
  /** Issue path of this schedule, e.g. `config.schedule.parts[1].schedule`. */
  path: string;
  issues: IssueIndex;
  /** The run's epochs, for presets that depend on it. */
  epochs: number;
  depth?: number;
}

const kindOptions = SCHEDULE_KINDS.map((kind) => ({ value: kind, label: SCHEDULE_KIND_LABELS[kind] }));
const presetOptions = [
  { value: "", label: "Choose a preset…" },
  ...SCHEDULE_PRESET_NAMES.map((name) => ({ value: name, label: SCHEDULE_PRESETS[name].label })),
];

export function ScheduleEditor({ value, onChange, path, issues, epochs, depth = 0 }: Props) {
  const spec = value as Spec;
  const set = (name: string, fieldValue: unknown) => {
    const next: Record<string, unknown> = { ...spec };
    if (fieldValue === undefined) delete next[name];
    else next[name] = fieldValue;
    onChange(next as ScheduleInput);
  };
  const fields = scheduleFieldsOf(spec.kind);
  const nested = depth > 0 ? " (nested)" : "";

  return (
    <div className="space-y-2">
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        <SelectField
          label={`Schedule${nested}`}
          value={spec.kind}
          options={kindOptions}
          error={issues.at(`${path}.kind`)}
          onChange={(kind) => onChange(newSchedule(kind, value))}
        />
        {depth === 0 ? (
          <SelectField
            label="Schedule preset"
            value=""
            options={presetOptions}
            onChange={(name) => {
              if (!name) return;
              const preset = SCHEDULE_PRESETS[name as keyof typeof SCHEDULE_PRESETS];
              onChange(preset.build(Number.isInteger(epochs) && epochs >= 1 ? epochs : 1));
            }}
          />
        ) : null}
      </div>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
        {fields
          .filter((field) => field.kind !== "parts" && field.kind !== "text")
          .map((field) => (
            <FieldInput
              key={field.name}
              field={field}
              value={spec[field.name]}
              onChange={(v) => set(field.name, v)}
              error={issues.at(`${path}.${field.name}`, field.kind === "numberList")}
            />
          ))}
      </div>
      {fields
        .filter((field) => field.kind === "text")
        .map((field) => (
          <TextField
            key={field.name}
            multiline
            label={fieldLabel(field.name)}
            value={typeof spec[field.name] === "string" ? (spec[field.name] as string) : ""}
            onChange={(text) => set(field.name, text)}
            error={issues.at(`${path}.${field.name}`)}
            hint={
              <>
                lr as a formula of <code>{VARIABLE_NAMES.join(", ")}</code>; functions {FUNCTION_NAMES.join(", ")}; constants pi, e. Must
                stay ≥ 0 and finite over the whole run.
              </>
            }
          />
        ))}
      {fields.some((field) => field.kind === "parts") ? (
        <PartsEditor
          parts={(spec.parts as Part[] | undefined) ?? []}
          onChange={(parts) => set("parts", parts)}
          path={`${path}.parts`}
          issues={issues}
          epochs={epochs}
          depth={depth}
        />
      ) : null}
      {spec.kind === "reduceOnPlateau" ? (
        <p className="text-xs text-slate-500">The preview shows the starting lr: reductions depend on the run&apos;s own metrics.</p>
      ) : null}
    </div>
  );
}

function FieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  error: string | undefined;
}) {
  const label = fieldLabel(field.name);
  const placeholder =
    field.defaultValue !== undefined ? `default ${formatDefault(field.defaultValue)}` : field.optional ? "optional" : undefined;
  switch (field.kind) {
    case "number":
      return (
        <NumberField
          label={label}
          value={value as number | undefined}
          onChange={onChange}
          error={error}
          {...(placeholder ? { placeholder } : {})}
        />
      );
    case "numberList":
      return <NumberListField label={label} value={value as number[] | undefined} onChange={onChange} error={error} />;
    case "enum":
      return (
        <SelectField
          label={label}
          value={(value as string | undefined) ?? formatDefault(field.defaultValue ?? field.options?.[0] ?? "")}
          options={(field.options ?? []).map((option) => ({ value: option, label: option }))}
          onChange={onChange}
          error={error}
        />
      );
    case "boolean":
      return <CheckboxField label={label} checked={Boolean(value ?? field.defaultValue)} onChange={onChange} error={error} />;
    default:
      return null;
  }
}

function PartsEditor({
  parts,
  onChange,
  path,
  issues,
  epochs,
  depth,
}: {
  parts: Part[];
  onChange: (parts: Part[]) => void;
  path: string;
  issues: IssueIndex;
  epochs: number;
  depth: number;
}) {
  const update = (i: number, part: Part) => onChange(parts.map((p, j) => (j === i ? part : p)));
  const partsError = issues.at(path);
  return (
    <fieldset className="space-y-2 rounded border border-dashed border-slate-300 p-2">
      <legend className="px-1 text-xs font-medium text-slate-600">Parts, one after another</legend>
      {partsError ? <p className="text-xs text-red-600">{partsError}</p> : null}
      {parts.map((part, i) => (
        <div key={i} className="space-y-2 rounded bg-slate-50 p-2" role="group" aria-label={`Part ${i + 1}`}>
          <div className="flex items-end gap-2">
            <NumberField
              className="w-40"
              label={`Part ${i + 1} epochs`}
              value={part.epochs}
              placeholder={i === parts.length - 1 ? "rest of the run" : undefined}
              onChange={(n) => {
                const { epochs: _old, ...rest } = part;
                update(i, n === undefined ? rest : { ...rest, epochs: n });
              }}
              error={issues.at(`${path}[${i}].epochs`)}
            />
            <button
              type="button"
              className="btn-secondary mb-0.5"
              onClick={() => onChange(parts.filter((_, j) => j !== i))}
              aria-label={`Remove part ${i + 1}`}
            >
              Remove
            </button>
          </div>
          <ScheduleEditor
            value={part.schedule}
            onChange={(schedule) => update(i, { ...part, schedule })}
            path={`${path}[${i}].schedule`}
            issues={issues}
            epochs={epochs}
            depth={depth + 1}
          />
        </div>
      ))}
      <button type="button" className="btn-secondary" onClick={() => onChange([...parts, { schedule: { kind: "constant", lr: 0.01 } }])}>
        Add part
      </button>
    </fieldset>
  );
}
