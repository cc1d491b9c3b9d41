/**
 * The one schema file: drizzle-kit generates db/migrations from it, and row types are derived
 * from it (never declared twice). Owners are text user ids until sign-in brings a users table.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

/** bytea as Uint8Array (pg returns a Buffer, which is one). */
const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export const visibility = pgEnum("visibility", VISIBILITIES);

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "diverged", "canceled"] as const;
export const runStatus = pgEnum("run_status", RUN_STATUSES);
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these states never changes again. */
export const FINAL_STATUSES = ["succeeded", "failed", "diverged", "canceled"] as const satisfies readonly RunStatus[];

const created = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const comparisons = pgTable("comparisons", {
  id: uuid("id").primaryKey().defaultRandom(),
  owner: text("owner").notNull(),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  visibility: visibility("visibility").notNull().default("private"),
  shareSlug: text("share_slug").notNull().unique(),
  createdAt: created(),
}, (t) => [index("comparisons_owner_idx").on(t.owner, t.createdAt)]);

export const runs = pgTable("runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  comparisonId: uuid("comparison_id").references(() => comparisons.id, { onDelete: "cascade" }),
  owner: text("owner").notNull(),
  /** The parsed config (defaults filled in), as the trainer receives it. */
  config: jsonb("config").notNull(),
  /** sha256 of the config without its seed: groups seeds, finds reusable results. */
  configHash: text("config_hash").notNull(),
  seed: bigint("seed", { mode: "number" }).notNull(),
  totalEpochs: integer("total_epochs").notNull(),
  status: runStatus("status").notNull().default("queued"),
  /** Claims so far; a graceful release gives its claim back. More than the limit → failed. */
  attempts: integer("attempts").notNull().default(0),
  workerId: text("worker_id"),
  leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
  createdAt: created(),
  startedAt: timestamp("started_at", { withTimezone: true }),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
  error: text("error"),
  backend: text("backend"),
  /** Set when the results were copied from an earlier succeeded run with the same hash and seed. */
  reusedFrom: uuid("reused_from").references((): AnyPgColumn => runs.id, { onDelete: "set null" }),
  epochsCompleted: integer("epochs_completed").notNull().default(0),
  finalLoss: doublePrecision("final_loss"),
  finalValLoss: doublePrecision("final_val_loss"),
  finalValAcc: doublePrecision("final_val_acc"),
  bestValAcc: doublePrecision("best_val_acc"),
  bestEpoch: integer("best_epoch"),
  trainSeconds: doublePrecision("train_seconds"),
}, (t) => [
  // The claim query's two scans: oldest queued first, and running runs whose lease ran out.
  index("runs_queued_idx").on(t.createdAt, t.id).where(sql`${t.status} = 'queued'`),
  index("runs_lease_idx").on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
  index("runs_reuse_idx").on(t.configHash, t.seed).where(sql`${t.status} = 'succeeded'`),
  index("runs_comparison_idx").on(t.comparisonId),
  index("runs_owner_idx").on(t.owner, t.createdAt),
]);

export const epochMetrics = pgTable("epoch_metrics", {
  runId: uuid("run_id").notNull().references(() => runs.id, { onDelete: "cascade" }),
  /** 0-based, as the trainer counts. */
  epoch: integer("epoch").notNull(),
  lr: doublePrecision("lr").notNull(),
  loss: doublePrecision("loss").notNull(),
  acc: doublePrecision("acc").notNull(),
  valLoss: doublePrecision("val_loss").notNull(),
  valAcc: doublePrecision("val_acc").notNull(),
  seconds: doublePrecision("seconds").notNull(),
  imagesPerSec: doublePrecision("images_per_sec").notNull(),
}, (t) => [primaryKey({ columns: [t.runId, t.epoch] })]);

/** Only the latest checkpoint of a run is kept: any worker anywhere resumes from it. */
export const checkpoints = pgTable("checkpoints", {
  runId: uuid("run_id").primaryKey().references(() => runs.id, { onDelete: "cascade" }),
  /** The last completed epoch (0-based) it follows; -1 when none had completed. */
  epoch: integer("epoch").notNull(),
  /** True for a checkpoint taken mid-epoch (a graceful shutdown), at a batch boundary. */
  midEpoch: boolean("mid_epoch").notNull().default(false),
  bytes: bytea("bytes").notNull(),
  createdAt: created(),
});

export type Comparison = typeof comparisons.$inferSelect;
export type NewComparison = typeof comparisons.$inferInsert;
export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type EpochMetricsRow = typeof epochMetrics.$inferSelect;
export type CheckpointRow = typeof checkpoints.$inferSelect;
