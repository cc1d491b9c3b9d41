/** The stored per-step curves (table epoch_steps): written with each epoch, read as columns. */
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { epochSteps } from "../../db/schema";
import { appendStepPoints, emptyStepColumns, type StepColumns, type StepPoint } from "../../training/stepCurve";

type Executor = Pick<Db, "insert" | "execute">;

/** One epoch's points; a retried epoch replaces what an earlier attempt wrote. */
export async function writeEpochSteps(tx: Executor, runId: string, epoch: number, points: readonly StepPoint[]): Promise<void> {
  if (points.length === 0) return;
  const row = {
    runId,
    epoch,
    step: points.map((p) => p.step),
    lr: points.map((p) => p.lr),
    lrMin: points.map((p) => p.lrMin),
    lrMax: points.map((p) => p.lrMax),
    loss: points.map((p) => p.loss),
  };
  const { runId: _r, epoch: _e, ...values } = row;
  await tx
    .insert(epochSteps)
    .values(row)
    .onConflictDoUpdate({ target: [epochSteps.runId, epochSteps.epoch], set: values });
}

/** Copies a run's curves to another (a run completed from its twin). */
export async function copyEpochSteps(tx: Executor, fromRunId: string, toRunId: string): Promise<void> {
  await tx.execute(sql`
    insert into epoch_steps (run_id, epoch, step, lr, lr_min, lr_max, loss)
    select ${toRunId}::uuid, epoch, step, lr, lr_min, lr_max, loss from epoch_steps where run_id = ${fromRunId}::uuid
  `);
}

/** Each run's curve as columns, in step order (runs without any get empty columns). */
export async function loadStepColumns(db: Pick<Db, "select">, runIds: readonly string[]): Promise<Record<string, StepColumns>> {
  const out: Record<string, StepColumns> = Object.fromEntries(runIds.map((id) => [id, emptyStepColumns()]));
  if (runIds.length === 0) return out;
  const rows = await db
    .select()
    .from(epochSteps)
    .where(runIds.length === 1 ? eq(epochSteps.runId, runIds[0]!) : inArray(epochSteps.runId, [...runIds]))
    .orderBy(asc(epochSteps.runId), asc(epochSteps.epoch));
  for (const row of rows) appendStoredEpoch(out[row.runId]!, row);
  return out;
}

/** One stored epoch_steps row (parallel arrays) appended to a run's columns. */
export function appendStoredEpoch(
  columns: StepColumns,
  row: Pick<typeof epochSteps.$inferSelect, "epoch" | "step" | "lr" | "lrMin" | "lrMax" | "loss">,
): void {
  appendStepPoints(
    columns,
    row.step.map((step, i) => ({ epoch: row.epoch, step, lr: row.lr[i]!, lrMin: row.lrMin[i]!, lrMax: row.lrMax[i]!, loss: row.loss[i]! })),
  );
}

/** Each run's lr range per epoch (min and max over the epoch's stored steps), aligned with `epochs`. */
export async function loadEpochLrRanges(
  db: Pick<Db, "execute">,
  epochsByRun: Readonly<Record<string, readonly number[]>>,
): Promise<Record<string, { lrMin: number[]; lrMax: number[] }>> {
  const ids = Object.keys(epochsByRun);
  const out: Record<string, { lrMin: number[]; lrMax: number[] }> = {};
  if (ids.length === 0) return out;
  const { rows } = await db.execute<{ run_id: string; epoch: number; lr_min: number; lr_max: number }>(sql`
    select run_id, epoch, (select min(v) from unnest(lr_min) v) as lr_min, (select max(v) from unnest(lr_max) v) as lr_max
    from epoch_steps where run_id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
  `);
  const found = new Map(rows.map((r) => [`${r.run_id}/${r.epoch}`, r]));
  for (const id of ids) {
    const at = epochsByRun[id]!.map((epoch) => found.get(`${id}/${epoch}`));
    // Epochs stored before per-step curves existed have no range: NaN, drawn as no band.
    out[id] = { lrMin: at.map((r) => (r ? r.lr_min : NaN)), lrMax: at.map((r) => (r ? r.lr_max : NaN)) };
  }
  return out;
}
