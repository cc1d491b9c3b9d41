/**
 * The run service: what the CLI and the web app call to queue, inspect and cancel runs.
 * Input is validated before anything is written; bad input throws ValidationError naming fields.
 */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { comparisons, epochMetrics, runs, type EpochMetricsRow, type Run } from "../../db/schema";
import { parseRunConfig } from "../../training/config";
import { ValidationError, parseOrThrow } from "../../training/errors";
import { textField } from "../../training/text";
import { uuid as anyUuid } from "../../training/validation";
import type { StepColumns } from "../../training/stepCurve";
import { loadStepColumns } from "./stepCurves";
import { cancelActiveRuns, insertRuns } from "./transitions";
import { advanceTuningsOf } from "./tunings";

/** Owner of runs submitted without one (no sign-in yet: the local user). */
export const LOCAL_OWNER = "local";

const uuid = anyUuid();

export const submitRunInputSchema = z.strictObject({
  config: z.unknown(),
  comparisonId: uuid.optional(),
  owner: textField({ max: 200, required: true }).optional(),
});
export type SubmitRunInput = z.input<typeof submitRunInputSchema>;

export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`no run with id ${runId}`);
    this.name = "RunNotFoundError";
  }
}

export interface RunWithEpochs {
  run: Run;
  epochs: EpochMetricsRow[];
  /** The downsampled per-step lr and training loss. */
  steps: StepColumns;
}

export async function submitRun(db: Db, input: SubmitRunInput): Promise<Run> {
  const parsed = parseOrThrow(submitRunInputSchema, input);
  const config = parseRunConfig(parsed.config);
  let owner = parsed.owner;
  if (parsed.comparisonId) {
    const [comparison] = await db.select({ owner: comparisons.owner }).from(comparisons).where(eq(comparisons.id, parsed.comparisonId));
    if (!comparison) throw new ValidationError([{ path: "comparisonId", message: `no comparison with id ${parsed.comparisonId}` }]);
    owner ??= comparison.owner;
  }
  const [run] = await insertRuns(db, [{ comparisonId: parsed.comparisonId ?? null, owner: owner ?? LOCAL_OWNER, config }]);
  return run!;
}

export function parseRunId(id: string): string {
  return parseOrThrow(uuid, id, ["runId"]);
}

export async function getRun(db: Db, runId: string): Promise<RunWithEpochs> {
  const id = parseRunId(runId);
  const [run] = await db.select().from(runs).where(eq(runs.id, id));
  if (!run) throw new RunNotFoundError(id);
  const epochs = await db.select().from(epochMetrics).where(eq(epochMetrics.runId, id)).orderBy(asc(epochMetrics.epoch));
  const steps = (await loadStepColumns(db, [id]))[id]!;
  return { run, epochs, steps };
}

/**
 * Cancels a queued or running run; its worker notices at the next heartbeat and stops within a
 * batch. A run that already ended is returned unchanged with `canceled: false`.
 */
export async function cancelRun(db: Db, runId: string): Promise<{ run: Run; canceled: boolean }> {
  const id = parseRunId(runId);
  // With the move of its tuning (a sweep run gone may complete a rung or the sweep), in one transaction.
  const canceled = await db.transaction(async (tx) => {
    const ids = await cancelActiveRuns(tx, eq(runs.id, id));
    await advanceTuningsOf(tx, ids);
    return ids;
  });
  const [run] = await db.select().from(runs).where(eq(runs.id, id));
  if (!run) throw new RunNotFoundError(id);
  return { run, canceled: canceled.length === 1 };
}
