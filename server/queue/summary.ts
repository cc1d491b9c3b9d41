/**
 * The run's summary columns, recomputed from its epoch rows in SQL. Used by every statement that
 * moves a run forward, so the columns always agree with the rows (resumes and copies included).
 * NaN sorts above every number in Postgres, so it is kept out of "best".
 */
import { sql, type SQL } from "drizzle-orm";
import { LEADERBOARD_TARGETS } from "../../lib/constants";

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

/**
 * A finished run's epochs and seconds to reach each of LEADERBOARD_TARGETS (val accuracy ≥ target,
 * NaN never counts), for `update runs set …`. Computed once when the run reaches a final state.
 */
export function targetAssignments(runId: SQL | string): SQL {
  const id = typeof runId === "string" ? sql`${runId}::uuid` : runId;
  const targets = sql.raw(`array[${LEADERBOARD_TARGETS.map((t) => `${t / 100}`).join(",")}]::float8[]`);
  const first = sql`(select min(m.epoch) from epoch_metrics m where m.run_id = ${id} and m.val_acc <> 'NaN' and m.val_acc >= u.target)`;
  return sql`
    epochs_to_target = array(select ${first} + 1 from unnest(${targets}) with ordinality u(target, i) order by u.i),
    seconds_to_target = array(select (select sum(s.seconds) from epoch_metrics s where s.run_id = ${id} and s.epoch <= ${first})
      from unnest(${targets}) with ordinality u(target, i) order by u.i)`;
}
