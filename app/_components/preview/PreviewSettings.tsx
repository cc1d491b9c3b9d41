/** The preview's form: which runs, the subset size and epochs, and the backend; locked once a session starts. */
import type { RunConfig } from "../../../training/config";
import { PREVIEW_MAX, type PreviewSize } from "../../../training/preview/config";
import { colorAt } from "../charts/colors";
import type { PreviewSource } from "./PreviewLab";

export type BackendChoice = "auto" | "cpu";

function clampInt(text: string, min: number, max: number, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export function PreviewSettings({
  sources,
  configs,
  dataset,
  locked,
  selected,
  onSelected,
  size,
  onSize,
  preference,
  onPreference,
}: {
  sources: readonly PreviewSource[];
  configs: ReadonlyMap<string, RunConfig | string>;
  /** Examples in the prepared dataset: the size inputs' upper bounds. */
  dataset: { train: number; test: number };
  locked: boolean;
  selected: readonly string[];
  onSelected: (update: (list: string[]) => string[]) => void;
  size: PreviewSize;
  onSize: (update: (size: PreviewSize) => PreviewSize) => void;
  preference: BackendChoice;
  onPreference: (preference: BackendChoice) => void;
}) {
  return (
    <div className="space-y-3">
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-slate-600">Runs to preview (trained one after another)</legend>
        <ul className="space-y-1 text-sm">
          {sources.map((source, i) => {
            const config = configs.get(source.key);
            return (
              <li key={source.key} className="flex items-center gap-2">
                <input
                  id={`pick-${source.key}`}
                  type="checkbox"
                  disabled={locked}
                  checked={selected.includes(source.key)}
                  onChange={(event) =>
                    onSelected((list) =>
                      event.target.checked
                        ? sources.map((s) => s.key).filter((k) => k === source.key || list.includes(k))
                        : list.filter((k) => k !== source.key),
                    )
                  }
                />
                <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: colorAt(i) }} aria-hidden="true" />
                <label htmlFor={`pick-${source.key}`}>{source.label}</label>
                {typeof config === "string" ? <span className="text-xs text-red-600">{config}</span> : null}
              </li>
            );
          })}
        </ul>
      </fieldset>
      <div className="flex flex-wrap gap-3">
        {(
          [
            ["trainLimit", "Training images", 1, Math.min(PREVIEW_MAX.trainLimit, dataset.train)],
            ["testLimit", "Test images", 1, Math.min(PREVIEW_MAX.testLimit, dataset.test)],
            ["epochs", "Epochs", 1, PREVIEW_MAX.epochs],
          ] as const
        ).map(([field, label, min, max]) => (
          <label key={field} className="flex w-36 flex-col text-xs font-medium text-slate-600">
            {label}
            <input
              type="number"
              min={min}
              max={max}
              disabled={locked}
              className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
              value={size[field]}
              onChange={(event) => onSize((s) => ({ ...s, [field]: clampInt(event.target.value, min, max, s[field]) }))}
            />
          </label>
        ))}
        <label className="flex w-48 flex-col text-xs font-medium text-slate-600">
          Backend choice
          <select
            className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
            disabled={locked}
            value={preference}
            onChange={(event) => onPreference(event.target.value as BackendChoice)}
          >
            <option value="auto">WebGL (cpu if unavailable)</option>
            <option value="cpu">cpu only</option>
          </select>
        </label>
      </div>
      <p className="text-xs text-slate-500">
        The first {size.trainLimit} training and {size.testLimit} test images (class-balanced), {size.epochs} epoch
        {size.epochs === 1 ? "" : "s"}; the schedule is stretched over these epochs. Same model, optimizer, schedule and trainer as the
        server&apos;s worker.
      </p>
    </div>
  );
}
