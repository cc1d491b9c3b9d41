/**
 * The step axis's poll, incremental like metrics.since (./liveSince.ts): per run, only the stored
 * per-step curve rows (one per epoch) past the caller's cursor, read in one read-only snapshot.
 * The cursor is, per run, how many of its epoch_steps rows the caller holds, in epoch order; a run
 * now holding fewer was re-run and comes back whole, marked `reset`. A poll with nothing new is
 * the same size however long the curves are.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { runs, type Comparison } from "../../db/schema";
import { slugSchema } from "../../lib/schemas";
import { emptyStepColumns, type StepColumns } from "../../training/stepCurve";
import { appendStoredEpoch } from "../queue/stepCurves";
import { uuid } from "../../training/validation";

/** Far above any comparison's run cap; bounds what one request may ask about. */
const MAX_CURSOR_RUNS = 1000;

export const stepsSinceInput = z.strictObject({
  slug: slugSchema,
  cursor: z
    .record(uuid("a run id"), z.int().min(0).max(1_000_000))
    .refine((cursor) => Object.keys(cursor).length <= MAX_CURSOR_RUNS, `must name at most ${MAX_CURSOR_RUNS} runs`),
});
export type StepsCursor = z.infer<typeof stepsSinceInput>["cursor"];

export interface StepsPoll {
  /** Only runs with points to add; `reset`: replace what is held. */
  steps: Record<string, StepColumns & { reset: boolean }>;
  /** Per run, the rows held after applying this poll: send it back next time. */
  cursor: Record<string, number>;
}

export async function readStepsSince(db: Db, comparison: Pick<Comparison, "id">, cursor: StepsCursor): Promise<StepsPoll> {
  return db.transaction(
    async (tx) => {
      const ids = (await tx.select({ id: runs.id }).from(runs).where(eq(runs.comparisonId, comparison.id))).map((r) => r.id);
      if (ids.length === 0) return { steps: {}, cursor: {} };
      const idList = sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      const { rows: counts } = await tx.execute<{ run_id: string; n: number }>(
        sql`select run_id, count(*)::int as n from epoch_steps where run_id in (${idList}) group by run_id`,
      );
      const stored = new Map(counts.map((c) => [c.run_id, c.n]));
      const next: Record<string, number> = {};
      const from = new Map<string, { skip: number; reset: boolean }>();
      for (const id of ids) {
        const n = stored.get(id) ?? 0;
        const held = cursor[id] ?? 0;
        next[id] = n;
        if (n < held) from.set(id, { skip: 0, reset: true });
        else if (n > held) from.set(id, { skip: held, reset: false });
      }
      const steps: StepsPoll["steps"] = {};
      if (from.size === 0) return { steps, cursor: next };
      // Each run's rows past the first `skip` in epoch order (the index on (run_id, epoch) finds them).
      const { rows } = await tx.execute<{
        run_id: string;
        epoch: number;
        step: number[];
        lr: number[];
        lrMin: number[];
        lrMax: number[];
        loss: number[];
      }>(sql`
        select run_id, epoch, step, lr, lr_min as "lrMin", lr_max as "lrMax", loss from (
          select s.*, row_number() over (partition by s.run_id order by s.epoch) - 1 as i
          from epoch_steps s where s.run_id in (${sql.join(
            [...from.keys()].map((id) => sql`${id}::uuid`),
            sql`, `,
          )})
        ) numbered
        where ${sql.join(
          [...from].map(([id, f]) => sql`(run_id = ${id}::uuid and i >= ${f.skip}::int)`),
          sql` or `,
        )}
        order by run_id, epoch
      `);
      const columns = new Map([...from.keys()].map((id) => [id, emptyStepColumns()]));
      for (const row of rows) appendStoredEpoch(columns.get(row.run_id)!, row);
      for (const [id, f] of from) steps[id] = { ...columns.get(id)!, reset: f.reset };
      return { steps, cursor: next };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
