"use client";
/**
 * The optimizer race: contours of a 2-D function and the paths of several optimizers from one
 * start, computed in the browser by the training code (loaded on demand, tfjs on cpu). The
 * state lives in the query string, so the address bar is the share link.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { FUNCTION_INFO, RACE_FUNCTIONS, type RaceFunction } from "../../../training/race/functions";
import type { RacePath } from "../../../training/race/race";
import { DEFAULT_RACE, draftFromQuery, MAX_RACERS, raceQuery, raceSpecs, type RaceDraft } from "../../../training/race/share";
import { describeOptimizer, optimizerSpecSchema } from "../../../training/optimizers/spec";
import { OptimizerEditor } from "../builder/OptimizerEditor";
import { ScheduleEditor } from "../builder/ScheduleEditor";
import { NumberField, SelectField } from "../builder/inputs";
import { IssueIndex } from "../builder/issues";
import { colorAt } from "../charts/colors";

const SIZE = 480;
const GRID = 160;
/** Frames the animation takes whatever the step count (about two seconds). */
const FRAMES = 120;

const functionOptions = RACE_FUNCTIONS.map((fn) => ({ value: fn, label: FUNCTION_INFO[fn].label }));

export function RaceLab({ query }: { query: string }) {
  const initial = useMemo(() => draftFromQuery(new URLSearchParams(query)), [query]);
  const [draft, setDraft] = useState<RaceDraft>(initial.draft);
  const [result, setResult] = useState<{ draft: RaceDraft; paths: RacePath[]; grid: Float32Array } | null>(null);
  const [frame, setFrame] = useState(FRAMES);
  const [busy, setBusy] = useState(false);
  const checked = useMemo(() => raceSpecs(draft), [draft]);
  const issues = useMemo(() => new IssueIndex([...initial.issues, ...checked.issues]), [initial.issues, checked.issues]);

  const start = async (next: RaceDraft) => {
    const { specs } = raceSpecs(next);
    if (!specs) return;
    setBusy(true);
    try {
      const { computeRace } = await import("./compute");
      const computed = await computeRace(next.function, specs, GRID);
      setResult({ draft: next, ...computed });
      setFrame(0);
    } finally {
      setBusy(false);
    }
  };
  const race = () => {
    // Next.js keeps its router in step with native history calls; no server round trip.
    window.history.replaceState(null, "", `/race?${raceQuery(draft)}`);
    void start(draft);
  };

  // A shared link races as soon as it opens.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start(initial.draft);
  }, [initial.draft]);

  useEffect(() => {
    if (frame >= FRAMES) return;
    const id = requestAnimationFrame(() => setFrame((f) => f + 1));
    return () => cancelAnimationFrame(id);
  }, [frame]);

  const setRacer = (i: number, racer: Partial<RaceDraft["racers"][number]>) =>
    setDraft((d) => ({ ...d, racers: d.racers.map((r, j) => (j === i ? { ...r, ...racer } : r)) }));

  return (
    <div className="grid gap-6 lg:grid-cols-[auto_1fr]">
      <div className="space-y-3">
        {result ? (
          <RacePlot result={result} frame={frame} />
        ) : (
          <div
            style={{ width: SIZE, height: SIZE }}
            className="grid place-items-center rounded border border-slate-200 bg-white text-sm text-slate-500"
          >
            {busy ? "Racing…" : "Loading…"}
          </div>
        )}
        {result ? <Standings result={result} /> : null}
      </div>
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <SelectField
            label="Function"
            value={draft.function}
            options={functionOptions}
            error={issues.at("function") ?? issues.at("fn")}
            onChange={(fn: RaceFunction) => setDraft((d) => ({ ...d, function: fn }))}
          />
          <NumberField
            label="Start x"
            value={draft.start[0]}
            error={issues.at("start[0]") ?? issues.at("start")}
            onChange={(x) => setDraft((d) => ({ ...d, start: [x ?? NaN, d.start[1]] }))}
          />
          <NumberField
            label="Start y"
            value={draft.start[1]}
            error={issues.at("start[1]")}
            onChange={(y) => setDraft((d) => ({ ...d, start: [d.start[0], y ?? NaN] }))}
          />
          <NumberField
            label="Steps"
            value={draft.steps}
            error={issues.at("steps")}
            onChange={(n) => setDraft((d) => ({ ...d, steps: n ?? NaN }))}
          />
        </div>
        {draft.racers.map((racer, i) => (
          <fieldset key={i} className="space-y-2 rounded border border-slate-200 bg-white p-3">
            <legend className="flex items-center gap-2 px-1 text-sm font-medium">
              <span className="inline-block h-3 w-3 rounded-full" style={{ background: colorAt(i) }} />
              Racer {i + 1}
              {draft.racers.length > 1 ? (
                <button
                  type="button"
                  className="link text-xs"
                  onClick={() => setDraft((d) => ({ ...d, racers: d.racers.filter((_, j) => j !== i) }))}
                >
                  remove
                </button>
              ) : null}
            </legend>
            <OptimizerEditor value={racer.optimizer} onChange={(optimizer) => setRacer(i, { optimizer })} issues={prefixed(issues, i)} />
            <ScheduleEditor
              value={racer.schedule}
              onChange={(schedule) => setRacer(i, { schedule })}
              path="config.schedule"
              issues={prefixed(issues, i)}
              epochs={Number.isFinite(draft.steps) ? draft.steps : DEFAULT_RACE.steps}
            />
          </fieldset>
        ))}
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn-primary" disabled={busy || !checked.specs} onClick={race}>
            {busy ? "Racing…" : "Race"}
          </button>
          {draft.racers.length < MAX_RACERS ? (
            <button
              type="button"
              className="btn-secondary"
              onClick={() =>
                setDraft((d) => ({ ...d, racers: [...d.racers, structuredClone(d.racers.at(-1) ?? DEFAULT_RACE.racers[0]!)] }))
              }
            >
              Add racer
            </button>
          ) : null}
          <span className="text-xs text-slate-500">Race updates the address: share it to share this race.</span>
        </div>
      </div>
    </div>
  );
}

/** The builder's editors name fields `config.optimizer.…`; a racer's issues are `racers[i].optimizer.…`. */
function prefixed(issues: IssueIndex, i: number): IssueIndex {
  const at = `racers[${i}].`;
  return new IssueIndex(
    issues.all.filter((issue) => issue.path.startsWith(at)).map((issue) => ({ ...issue, path: `config.${issue.path.slice(at.length)}` })),
  );
}

function RacePlot({ result, frame }: { result: { draft: RaceDraft; paths: RacePath[]; grid: Float32Array }; frame: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const fn = FUNCTION_INFO[result.draft.function];
  const [x0, x1, y0, y1] = fn.view;
  const px = (x: number) => ((x - x0) / (x1 - x0)) * SIZE;
  const py = (y: number) => ((y1 - y) / (y1 - y0)) * SIZE;

  useEffect(() => {
    const target = canvas.current?.getContext("2d");
    if (!target) return;
    // Banded log levels read as contours.
    const logs = Array.from(result.grid, (v) => Math.log1p(v));
    const max = Math.max(...logs);
    const image = new ImageData(GRID, GRID);
    logs.forEach((v, i) => {
      const band = Math.floor((v / max) * 16) / 16;
      const shade = (1 - band) * 0.85 + 0.15;
      image.data.set([Math.round(30 + 200 * shade), Math.round(60 + 180 * shade), Math.round(120 + 130 * shade), 255], i * 4);
    });
    const tile = new OffscreenCanvas(GRID, GRID);
    tile.getContext("2d")!.putImageData(image, 0, 0);
    target.imageSmoothingEnabled = true;
    target.drawImage(tile, 0, 0, SIZE, SIZE);
  }, [result.grid]);

  const shown = Math.ceil((result.draft.steps * Math.min(frame, FRAMES)) / FRAMES) + 1;
  return (
    <div className="relative rounded border border-slate-200" style={{ width: SIZE, height: SIZE }}>
      <canvas ref={canvas} width={SIZE} height={SIZE} className="absolute inset-0" aria-label={`Contours of ${fn.label}`} />
      <svg width={SIZE} height={SIZE} className="absolute inset-0" role="img" aria-label="Optimizer paths">
        <circle cx={px(fn.minimum[0])} cy={py(fn.minimum[1])} r={5} fill="none" stroke="white" strokeWidth={2} />
        <circle cx={px(result.draft.start[0])} cy={py(result.draft.start[1])} r={4} fill="white" />
        {result.paths.map((path, i) => (
          <polyline key={i} points={points(path, shown, px, py)} fill="none" stroke={colorAt(i)} strokeWidth={2} strokeLinejoin="round" />
        ))}
      </svg>
    </div>
  );
}

/** The first `count` finite points, clamped near the plot so a diverging path stays drawable. */
function points(path: RacePath, count: number, px: (x: number) => number, py: (y: number) => number): string {
  const out: string[] = [];
  for (let k = 0; k < Math.min(count, path.x.length); k++) {
    const [x, y] = [path.x[k], path.y[k]];
    if (x == null || y == null) break;
    const clamp = (v: number) => Math.max(-SIZE, Math.min(2 * SIZE, v));
    out.push(`${clamp(px(x)).toFixed(1)},${clamp(py(y)).toFixed(1)}`);
  }
  return out.join(" ");
}

function Standings({ result }: { result: { draft: RaceDraft; paths: RacePath[] } }) {
  return (
    <table className="text-sm">
      <thead>
        <tr className="text-left text-xs text-slate-500">
          <th className="pr-3 font-medium">Racer</th>
          <th className="pr-3 font-medium">Final loss</th>
          <th className="font-medium">Final point</th>
        </tr>
      </thead>
      <tbody>
        {result.paths.map((path, i) => {
          const last = path.loss.length - 1;
          const parsed = optimizerSpecSchema.safeParse(result.draft.racers[i]!.optimizer);
          return (
            <tr key={i}>
              <td className="pr-3">
                <span className="mr-1 inline-block h-2.5 w-2.5 rounded-full" style={{ background: colorAt(i) }} />
                {parsed.success ? describeOptimizer(parsed.data) : "?"}
              </td>
              <td className="pr-3 tabular-nums">{path.loss[last] == null ? "diverged" : path.loss[last].toPrecision(4)}</td>
              <td className="tabular-nums">
                {path.x[last] == null ? "—" : `${path.x[last].toPrecision(4)}, ${path.y[last]!.toPrecision(4)}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
