/**
 * The run's summary columns, recomputed from its epoch rows in SQL. Used by every statement that
 * moves a run forward, so the columns always agree with the rows (resumes and copies included).
 * NaN sorts above every number in Postgres, so it is kept out of "best".
 */
import { sql, type SQL } from "drizzle-orm";

export function summaryAssignments(runId: SQL | string): SQL {
  const id = typeof runId === "string" ? sql`${runId}::uuid` : runId;
  const last = (column: string) =>
    sql.raw(`(select m.${column} from epoch_metrics m where m.run_id = `).append(id).append(sql.raw(` order by m.epoch desc limit 1)`));
  return sql`
    epochs_completed = (select count(*)::int from epoch_metrics m where m.run_id = ${id}),
    final_loss = ${last("loss")},
    final_val_loss = ${last("val_loss")},
    final_val_acc = ${last("val_acc")},
    best_val_acc = (select max(m.val_acc) from epoch_metrics m where m.run_id = ${id} and m.val_acc <> 'NaN'),
    best_epoch = (select m.epoch from epoch_metrics m where m.run_id = ${id} and m.val_acc <> 'NaN' order by m.val_acc desc, m.epoch asc limit 1),
    train_seconds = (select sum(m.seconds) from epoch_metrics m where m.run_id = ${id})`;
}
