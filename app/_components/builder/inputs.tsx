"use client";
/**
 * Labelled inputs that show the validator's message under the field (aria-invalid and
 * aria-describedby point at it, so screen readers and tests find it by the field's label).
 */
import { useEffect, useId, useState, type ReactNode } from "react";

const inputClass =
  "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm shadow-xs focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500 aria-[invalid=true]:border-red-500";

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-0.5 text-xs text-red-600">
      {message}
    </p>
  );
}

interface FieldShell {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
}

function Shell({ label, error, hint, className, id, children }: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
      {hint ? <p className="mt-0.5 text-xs text-slate-500">{hint}</p> : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

const same = (a: number | undefined, b: number | undefined) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Text → number: "" is undefined (missing), anything unparsable is NaN ("must be a number"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return Number(trimmed);
}

export function parseNumberList(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter((part) => part !== "");
  return parts.map(Number);
}

const formatList = (values: readonly number[] | undefined) => (values ?? []).map(String).join(", ");

/**
 * Keeps what the user typed ("0.", "1e-") while the parsed value agrees with it, and shows the
 * new value when it changes from outside (a preset, a kind switch).
 */
function useTextFor<T>(value: T, parse: (text: string) => T, format: (value: T) => string, equal: (a: T, b: T) => boolean) {
  const [text, setText] = useState(() => format(value));
  useEffect(() => {
    setText((current) => (equal(parse(current), value) ? current : format(value)));
  }, [value, parse, format, equal]);
  return [text, setText] as const;
}

const formatNumber = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "" : String(value));
const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => same(v, b[i]));

/** A text input holding a parsed value: keeps the typed text, reports the parse of every edit. */
function ParsedInput<T>({
  label,
  value,
  onChange,
  error,
  hint,
  className,
  placeholder,
  inputMode,
  parse,
  format,
  equal,
}: FieldShell & {
  value: T;
  onChange: (value: T) => void;
  placeholder?: string;
  inputMode?: "decimal";
  parse: (text: string) => T;
  format: (value: T) => string;
  equal: (a: T, b: T) => boolean;
}) {
  const id = useId();
  const [text, setText] = useTextFor(value, parse, format, equal);
  return (
    <Shell id={id} label={label} error={error} hint={hint} className={className}>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        className={inputClass}
        value={text}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          onChange(parse(event.target.value));
        }}
      />
    </Shell>
  );
}

export function NumberField(
  props: FieldShell & { value: number | undefined; onChange: (value: number | undefined) => void; placeholder?: string },
) {
  return <ParsedInput {...props} inputMode="decimal" parse={parseNumber} format={formatNumber} equal={same} />;
}

export function NumberListField({
  value,
  hint,
  ...props
}: FieldShell & { value: number[] | undefined; onChange: (value: number[]) => void }) {
  return (
    <ParsedInput
      {...props}
      value={value ?? []}
      hint={hint ?? "Comma-separated"}
      parse={parseNumberList}
      format={formatList}
      equal={sameList}
    />
  );
}

export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  className,
  multiline = false,
  required = false,
}: FieldShell & { value: string; onChange: (value: string) => void; multiline?: boolean; required?: boolean }) {
  const id = useId();
  const common = {
    id,
    value,
    className: `${inputClass}${multiline ? " font-mono" : ""}`,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
    "aria-required": required || undefined,
  } as const;
  return (
    <Shell id={id} label={label} error={error} hint={hint} className={className}>
      {multiline ? (
        <textarea {...common} rows={3} spellCheck={false} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(event) => onChange(event.target.value)} />
      )}
    </Shell>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  error,
  className,
}: FieldShell & { value: T; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
  const id = useId();
  return (
    <Shell id={id} label={label} error={error} className={className}>
      <select
        id={id}
        className={inputClass}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  error,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={checked}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
