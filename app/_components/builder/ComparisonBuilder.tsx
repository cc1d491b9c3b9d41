"use client";
/**
 * The comparison builder (new comparisons, and editing one's own): title, description,
 * visibility, the runs with live validation, and the live learning-rate chart. Submitting
 * queues the runs; the server validates everything again and its messages land on the same fields.
 */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useMemo, useState } from "react";
import type { Limits } from "../../../lib/limits";
import { runLabel } from "../../../lib/labels";
import { VISIBILITIES, type Visibility } from "../../../lib/constants";
import { comparisonMetaSchema, draftRunCount } from "../../../lib/schemas";
import type { RunConfig } from "../../../training/config";
import { zodIssues, type FieldIssue } from "../../../training/errors";
import { useTRPC } from "../../../trpc/react";
import { colorAt } from "../charts/colors";
import { previewHref } from "../preview/handoff";
import {
  ARTICLE_RUN_NAMES,
  articleDraft,
  articleDrafts,
  checkDraft,
  draftInput,
  newDraft,
  splitServerIssues,
  type DraftRun,
} from "./draft";
import { SelectField, TextField } from "./inputs";
import { LrPreview, type PreviewRun } from "./LrPreview";
import { RunEditor } from "./RunEditor";

interface Meta {
  title: string;
  description: string;
  visibility: Visibility;
}

export type BuilderProps =
  | { mode: "create"; limits: Limits }
  | {
      mode: "edit";
      limits: Limits;
      slug: string;
      initial: Meta;
      existing: { id: string; label: string; seed: number; config: RunConfig }[];
    };

const VISIBILITY_TEXT: Record<Visibility, string> = {
  public: "Public — listed on Browse, open to anyone",
  unlisted: "Unlisted — open to anyone with the link",
  private: "Private — only you",
};

export function ComparisonBuilder(props: BuilderProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const formId = useId();
  const [meta, setMeta] = useState<Meta>(props.mode === "edit" ? props.initial : { title: "", description: "", visibility: "unlisted" });
  const [drafts, setDrafts] = useState<DraftRun[]>(() => (props.mode === "create" ? [newDraft()] : []));
  const [attempted, setAttempted] = useState(false);
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([]);
  const [serverMessage, setServerMessage] = useState<string | null>(null);
  const [presetName, setPresetName] = useState("");
  const field = props.mode === "create" ? "runs" : "addRuns";

  const checks = useMemo(() => drafts.map((draft) => checkDraft(draft, props.limits)), [drafts, props.limits]);
  const metaIssues = useMemo(() => {
    const parsed = comparisonMetaSchema.safeParse(meta);
    return parsed.success ? [] : zodIssues(parsed.error);
  }, [meta]);
  const server = useMemo(() => splitServerIssues(serverIssues, field), [serverIssues, field]);

  const existing = props.mode === "edit" ? props.existing : [];
  const previewRuns: PreviewRun[] = [
    ...existing.map((run, i) => ({ key: run.id, label: `${run.label} (seed ${run.seed})`, color: colorAt(i), config: run.config })),
    ...drafts.map((draft, i) => {
      const config = checks[i]?.config ?? null;
      return { key: draft.key, label: config ? runLabel(config) : `Run ${i + 1}`, color: colorAt(existing.length + i), config };
    }),
  ];

  const onSuccess = ({ slug }: { slug: string }) => {
    router.push(`/c/${slug}`);
    router.refresh();
  };
  const onError = (error: { message: string; data?: { fieldIssues?: FieldIssue[] | null } | null }) => {
    setServerIssues(error.data?.fieldIssues ?? []);
    setServerMessage(error.message);
  };
  const create = useMutation(trpc.comparisons.create.mutationOptions({ onSuccess, onError }));
  const update = useMutation(trpc.comparisons.update.mutationOptions({ onSuccess, onError }));
  const pending = create.isPending || update.isPending;

  const newRuns = drafts.reduce((n, d) => n + draftRunCount(d), 0);
  const runIssueCount = checks.reduce((n, check) => n + check.issues.length, 0);
  const needsRuns = props.mode === "create" && drafts.length === 0;

  function submit() {
    setAttempted(true);
    setServerIssues([]);
    setServerMessage(null);
    if (metaIssues.length > 0 || runIssueCount > 0 || needsRuns) return;
    const runs = drafts.map(draftInput);
    if (props.mode === "create") create.mutate({ ...meta, runs });
    else update.mutate({ ...meta, slug: props.slug, addRuns: runs });
  }

  const metaError = (path: string) =>
    (attempted ? metaIssues.find((issue) => issue.path === path)?.message : undefined) ??
    server.general.find((issue) => issue.path === path)?.message;
  const replaceDraft = (i: number, draft: DraftRun) => {
    setDrafts((list) => list.map((d, j) => (j === i ? draft : d)));
    setServerIssues((issues) => issues.filter((issue) => !issue.path.startsWith(`${field}[${i}]`)));
  };
  const likeLast = () => drafts[drafts.length - 1]?.config;
  const blocked = attempted && (metaIssues.length > 0 || runIssueCount > 0 || needsRuns);

  return (
    <form
      id={formId}
      className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      noValidate
    >
      <div className="space-y-4">
        <section aria-label="About this comparison" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <TextField
            label="Title"
            value={meta.title}
            onChange={(title) => setMeta({ ...meta, title })}
            error={metaError("title")}
            required
          />
          <TextField
            label="Description"
            value={meta.description}
            onChange={(description) => setMeta({ ...meta, description })}
            error={metaError("description")}
            multiline
          />
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-slate-600">Visibility</legend>
            <div className="flex flex-col gap-1 text-sm">
              {VISIBILITIES.map((option) => (
                <label key={option} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="visibility"
                    value={option}
                    checked={meta.visibility === option}
                    onChange={() => setMeta({ ...meta, visibility: option })}
                  />
                  {VISIBILITY_TEXT[option]}
                </label>
              ))}
            </div>
          </fieldset>
        </section>

        {existing.length > 0 ? (
          <section aria-label="Runs already in this comparison" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="mb-2 text-sm font-semibold">Runs already queued ({existing.length})</h2>
            <ul className="space-y-1 text-sm text-slate-600">
              {existing.map((run, i) => (
                <li key={run.id} className="flex items-center gap-2">
                  <span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: colorAt(i) }} aria-hidden="true" />
                  {run.label} · seed {run.seed}
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <div className="flex flex-wrap items-end gap-2">
          <button type="button" className="btn-secondary" onClick={() => setDrafts((list) => [...list, newDraft(likeLast())])}>
            Add run
          </button>
          <SelectField
            className="w-56"
            label="Article preset"
            value={presetName}
            options={[{ value: "", label: "Choose a run…" }, ...ARTICLE_RUN_NAMES.map((name) => ({ value: name, label: name }))]}
            onChange={setPresetName}
          />
          <button
            type="button"
            className="btn-secondary"
            disabled={!presetName}
            onClick={() => {
              const draft = articleDraft(presetName, likeLast());
              if (draft) setDrafts((list) => [...list, draft]);
            }}
          >
            Add preset
          </button>
          <button type="button" className="btn-secondary" onClick={() => setDrafts(articleDrafts(likeLast()))}>
            Reproduce the article
          </button>
        </div>

        {drafts.map((draft, i) => {
          const check = checks[i]!;
          const issues = [...check.issues, ...(server.byRun.get(i) ?? [])];
          return (
            <RunEditor
              key={draft.key}
              index={existing.length + i}
              draft={draft}
              label={check.config ? runLabel(check.config) : "incomplete"}
              color={colorAt(existing.length + i)}
              issues={issues}
              onChange={(next) => replaceDraft(i, next)}
              onRemove={() => setDrafts((list) => list.filter((_, j) => j !== i))}
              onDuplicate={() =>
                setDrafts((list) => [...list.slice(0, i + 1), newDraft(draft.config, draft.seeds, draft.tune), ...list.slice(i + 1)])
              }
            />
          );
        })}
        {needsRuns ? <p className="text-sm text-slate-600">Add at least one run.</p> : null}
      </div>

      <aside className="space-y-4 lg:sticky lg:top-4 lg:self-start">
        <LrPreview runs={previewRuns} />
        <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <p className="text-slate-600">
            {newRuns} new run{newRuns === 1 ? "" : "s"} (one per seed; a tuned run counts its sweep and its final runs). Limits here:{" "}
            {props.limits.maxEpochs} epochs per run, {props.limits.maxRunsPerComparison} runs per comparison, {props.limits.maxQueuedRuns}{" "}
            queued runs per user.
          </p>
          {blocked ? (
            <p role="alert" className="text-red-600">
              Fix the highlighted fields first.
            </p>
          ) : null}
          {serverMessage ? (
            <p role="alert" className="whitespace-pre-line text-red-600">
              {serverMessage}
            </p>
          ) : null}
          <button type="submit" className="btn-primary w-full" disabled={pending}>
            {pending ? "Queueing…" : props.mode === "create" ? "Queue runs" : "Save changes"}
          </button>
          <button
            type="button"
            className="btn-secondary w-full"
            disabled={!checks.some((check) => check.config)}
            title="Train these runs briefly on a small subset in this browser (WebGL), before queueing them"
            onClick={() => {
              const runs = checks.flatMap((check) => (check.config ? [{ label: runLabel(check.config), config: check.config }] : []));
              window.open(previewHref(runs), "_blank");
            }}
          >
            Preview in browser
          </button>
        </div>
      </aside>
    </form>
  );
}
