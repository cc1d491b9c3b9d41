/**
 * The one schema file: drizzle-kit generates db/migrations from it, and row types are derived
 * from it (never declared twice). `owner` columns hold better-auth user ids (text; no foreign key,
 * so service-level tests and CLI submissions may use ids of their own).
 */
import { sql } from "drizzle-orm";
import { VISIBILITIES } from "../lib/constants";
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
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

/** bytea as Uint8Array (pg returns a Buffer, which is one). */
const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

export const visibility = pgEnum("visibility", VISIBILITIES);

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "diverged", "canceled"] as const;
export const runStatus = pgEnum("run_status", RUN_STATUSES);
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these states never changes again. */
export const FINAL_STATUSES = ["succeeded", "failed", "diverged", "canceled"] as const satisfies readonly RunStatus[];

/** `preview`: trained in a browser on a subset and attached to a comparison; never queued or ranked. */
export const RUN_KINDS = ["full", "preview"] as const;
export const runKind = pgEnum("run_kind", RUN_KINDS);

/** A tuned comparison's runs: the lr sweep (validation only) and the k final runs of the chosen lr. */
export const TUNING_ROLES = ["sweep", "final"] as const;
export const tuningRole = pgEnum("tuning_role", TUNING_ROLES);
export type TuningRole = (typeof TUNING_ROLES)[number];

/** `sweep`: its sweep runs train; `final`: an lr was chosen and the final runs are queued; `failed`: no sweep run finished. */
export const TUNING_PHASES = ["sweep", "final", "failed"] as const;
export const tuningPhase = pgEnum("tuning_phase", TUNING_PHASES);

const created = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });

export const comparisons = pgTable(
  "comparisons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    owner: text("owner").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    visibility: visibility("visibility").notNull().default("private"),
    shareSlug: text("share_slug").notNull().unique(),
    createdAt: created(),
  },
  (t) => [index("comparisons_owner_idx").on(t.owner, t.createdAt)],
);

/**
 * A tuned comparison (DeepOBS): n log-spaced lrs of one base config swept on its validation split,
 * optionally with successive halving, then the best lr re-run with k seeds on the test set
 * (server/queue/tunings.ts moves it on, in the transactions that record its runs' ends).
 */
export const tunings = pgTable(
  "tunings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    comparisonId: uuid("comparison_id")
      .notNull()
      .references(() => comparisons.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    /** The parsed run config (valSplit included) whose schedule lr is tuned; its seed seeds the sweep and the first final run. */
    baseConfig: jsonb("base_config").notNull(),
    n: integer("n").notNull(),
    k: integer("k").notNull(),
    halving: boolean("halving").notNull(),
    lrLow: doublePrecision("lr_low").notNull(),
    lrHigh: doublePrecision("lr_high").notNull(),
    /** The LR range test the range came from; null: the default range. */
    lrTestId: uuid("lr_test_id"),
    phase: tuningPhase("phase").notNull().default("sweep"),
    selectedLr: doublePrecision("selected_lr"),
    error: text("error"),
    createdAt: created(),
  },
  (t) => [index("tunings_comparison_idx").on(t.comparisonId)],
);

export const runs = pgTable(
  "runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    comparisonId: uuid("comparison_id").references(() => comparisons.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    /** The parsed config (defaults filled in), as the trainer receives it. */
    config: jsonb("config").notNull(),
    /** sha256 of the config without its seed: groups seeds, finds reusable results. */
    configHash: text("config_hash").notNull(),
    seed: bigint("seed", { mode: "number" }).notNull(),
    totalEpochs: integer("total_epochs").notNull(),
    kind: runKind("kind").notNull().default("full"),
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
    /** The numerics that produced the results (training/version): set on every claim; null for runs from before versions. */
    trainerVersion: text("trainer_version"),
    /** Set when the results were copied from an earlier succeeded run with the same hash and seed. */
    reusedFrom: uuid("reused_from").references((): AnyPgColumn => runs.id, { onDelete: "set null" }),
    epochsCompleted: integer("epochs_completed").notNull().default(0),
    finalLoss: doublePrecision("final_loss"),
    finalValLoss: doublePrecision("final_val_loss"),
    finalValAcc: doublePrecision("final_val_acc"),
    bestValAcc: doublePrecision("best_val_acc"),
    bestEpoch: integer("best_epoch"),
    trainSeconds: doublePrecision("train_seconds"),
    /**
     * Per LEADERBOARD_TARGETS entry: the 1-based epoch count at which val accuracy first reached the
     * target, and the training seconds summed up to it; null where it never did. Written when the
     * run finishes (server/queue/summary.ts `targetAssignments`), read by the leaderboard refresh.
     */
    epochsToTarget: integer("epochs_to_target").array(),
    secondsToTarget: doublePrecision("seconds_to_target").array(),
    tuningId: uuid("tuning_id").references(() => tunings.id, { onDelete: "cascade" }),
    tuningRole: tuningRole("tuning_role"),
    /**
     * A sweep run under successive halving stops after this many epochs and goes back to `queued`
     * with its checkpoint; it is not claimable again until its tuning moves the rung on (or stops it).
     */
    pauseAfter: integer("pause_after"),
  },
  (t) => [
    // The claim query's two scans: oldest queued first, and running runs whose lease ran out.
    index("runs_queued_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    index("runs_lease_idx")
      .on(t.leaseExpiresAt)
      .where(sql`${t.status} = 'running'`),
    index("runs_reuse_idx")
      .on(t.configHash, t.seed)
      .where(sql`${t.status} = 'succeeded'`),
    index("runs_comparison_idx").on(t.comparisonId),
    index("runs_tuning_idx").on(t.tuningId),
    index("runs_owner_idx").on(t.owner, t.createdAt),
    // The leaderboard refresh reads every run of the configs it recomputes.
    index("runs_config_hash_idx").on(t.configHash),
  ],
);

export const epochMetrics = pgTable(
  "epoch_metrics",
  {
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    /** 0-based, as the trainer counts. */
    epoch: integer("epoch").notNull(),
    lr: doublePrecision("lr").notNull(),
    loss: doublePrecision("loss").notNull(),
    acc: doublePrecision("acc").notNull(),
    valLoss: doublePrecision("val_loss").notNull(),
    valAcc: doublePrecision("val_acc").notNull(),
    /** On the test set; val_* is on the validation split when the config has one. Null in epochs recorded before. */
    testLoss: doublePrecision("test_loss"),
    testAcc: doublePrecision("test_acc"),
    seconds: doublePrecision("seconds").notNull(),
    imagesPerSec: doublePrecision("images_per_sec").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch] })],
);

/**
 * Each epoch's downsampled per-step curve (training/stepCurve.ts): parallel arrays, one entry per
 * point (≤ 100 per epoch), written in the transaction that writes the epoch's metrics.
 */
export const epochSteps = pgTable(
  "epoch_steps",
  {
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    epoch: integer("epoch").notNull(),
    /** Global 0-based index of each point's first step. */
    step: integer("step").array().notNull(),
    lr: doublePrecision("lr").array().notNull(),
    lrMin: doublePrecision("lr_min").array().notNull(),
    lrMax: doublePrecision("lr_max").array().notNull(),
    loss: doublePrecision("loss").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch] })],
);

/** The leaderboard's version for runs recorded before trainer versions existed. */
export const UNVERSIONED = "unversioned";

/**
 * One row per (config hash, trainer version) with at least one eligible finished run (see server/leaderboard/refresh.ts):
 * recomputed from the runs in the transaction that finishes a run, requeues it, or changes or
 * deletes its comparison. Page loads read only this table.
 */
export const leaderboardConfigs = pgTable(
  "leaderboard_configs",
  {
    configHash: text("config_hash").notNull(),
    /** Results of different numerics never share a row; older versions keep rows of their own. */
    trainerVersion: text("trainer_version").notNull(),
    /** training/tracks.ts: `full` or `budget`; a config is in one track only, and the page shows one track at a time. */
    track: text("track").notNull().default("full"),
    /** The config without its seed. */
    config: jsonb("config").notNull(),
    model: text("model").notNull(),
    optimizerKind: text("optimizer_kind").notNull(),
    optimizerText: text("optimizer_text").notNull(),
    scheduleKind: text("schedule_kind").notNull(),
    scheduleText: text("schedule_text").notNull(),
    /** Lower-cased schedule and optimizer text, for the search box. */
    searchText: text("search_text").notNull(),
    epochs: integer("epochs").notNull(),
    batchSize: integer("batch_size").notNull(),
    /** Distinct seeds that succeeded: the sample behind the statistics. */
    n: integer("n").notNull(),
    diverged: integer("diverged").notNull(),
    failed: integer("failed").notNull(),
    meanAcc: doublePrecision("mean_acc"),
    stdAcc: doublePrecision("std_acc"),
    ciLow: doublePrecision("ci_low"),
    ciHigh: doublePrecision("ci_high"),
    meanBestAcc: doublePrecision("mean_best_acc"),
    meanTrainSeconds: doublePrecision("mean_train_seconds"),
    epochsTo50: doublePrecision("epochs_to_50"),
    secondsTo50: doublePrecision("seconds_to_50"),
    reached50: integer("reached_50").notNull(),
    epochsTo60: doublePrecision("epochs_to_60"),
    secondsTo60: doublePrecision("seconds_to_60"),
    reached60: integer("reached_60").notNull(),
    epochsTo70: doublePrecision("epochs_to_70"),
    secondsTo70: doublePrecision("seconds_to_70"),
    reached70: integer("reached_70").notNull(),
    epochsTo80: doublePrecision("epochs_to_80"),
    secondsTo80: doublePrecision("seconds_to_80"),
    reached80: integer("reached_80").notNull(),
    epochsTo90: doublePrecision("epochs_to_90"),
    secondsTo90: doublePrecision("seconds_to_90"),
    reached90: integer("reached_90").notNull(),
    backends: text("backends").notNull(),
    /** Mean val accuracy per epoch over the succeeded seeds (the sparkline). */
    curve: doublePrecision("curve").array().notNull(),
    /** The public comparisons holding these runs (first few): [{ slug, title }]. */
    comparisons: jsonb("comparisons").notNull(),
    comparisonCount: integer("comparison_count").notNull(),
    /** Some of its seeds are the final runs of a tuned comparison (their lr was chosen on a validation split). */
    tuned: boolean("tuned").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.configHash, t.trainerVersion] }),
    index("leaderboard_track_idx").on(t.track, t.meanAcc.desc().nullsLast(), t.configHash),
    // The default view, and the same order under each filter the page offers.
    index("leaderboard_mean_idx").on(t.meanAcc.desc().nullsLast(), t.configHash),
    index("leaderboard_optimizer_idx").on(t.optimizerKind, t.meanAcc.desc().nullsLast(), t.configHash),
    index("leaderboard_schedule_idx").on(t.scheduleKind, t.meanAcc.desc().nullsLast(), t.configHash),
    index("leaderboard_model_idx").on(t.model, t.meanAcc.desc().nullsLast(), t.configHash),
    index("leaderboard_epochs_idx").on(t.epochs, t.meanAcc.desc().nullsLast(), t.configHash),
  ],
);

/** Only the latest checkpoint of a run is kept: any worker anywhere resumes from it. */
/**
 * What changed, for the web tier's page cache (server/edge/pageChanges.ts): one row per change a
 * cached public page may show, written by triggers on `runs`, `comparisons` and
 * `leaderboard_configs` (migration 0008), so every writer (worker, CLI, any web instance) is
 * covered. `slug`/`run_id`: a comparison's pages (and that run's page); `leaderboard`: the
 * leaderboard pages. Read by time window; rows older than a few minutes are deleted by the readers.
 */
export const pageChanges = pgTable(
  "page_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug"),
    runId: uuid("run_id"),
    leaderboard: boolean("leaderboard").notNull().default(false),
    at: timestamp("at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [index("page_changes_at_idx").on(t.at)],
);

export const checkpoints = pgTable("checkpoints", {
  runId: uuid("run_id")
    .primaryKey()
    .references(() => runs.id, { onDelete: "cascade" }),
  /** The last completed epoch (0-based) it follows; -1 when none had completed. */
  epoch: integer("epoch").notNull(),
  /** True for a checkpoint taken mid-epoch (a graceful shutdown), at a batch boundary. */
  midEpoch: boolean("mid_epoch").notNull().default(false),
  bytes: bytea("bytes").notNull(),
  createdAt: created(),
});

/**
 * LR range tests (training/lrFind), queued from the builder and claimed by workers like runs: the same
 * statuses (never `diverged`), lease and fencing columns (server/queue/pgLrTestQueue.ts). Private to
 * their owner; nothing they train is kept, only the curve and suggestions in `result`.
 */
export const lrTests = pgTable(
  "lr_tests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    owner: text("owner").notNull(),
    /** The parsed run config whose model, optimizer, batch size, seed and data are used. */
    config: jsonb("config").notNull(),
    /** The parsed ramp settings (startLr, endLr, numIt). */
    settings: jsonb("settings").notNull(),
    status: runStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    workerId: text("worker_id"),
    leaseExpiresAt: at("lease_expires_at"),
    heartbeatAt: at("heartbeat_at"),
    createdAt: created(),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
    error: text("error"),
    backend: text("backend"),
    /** The RangeTestResult (lr, loss, smoothLoss, suggestions, stoppedEarly) once succeeded. */
    result: jsonb("result"),
  },
  (t) => [
    index("lr_tests_queued_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    index("lr_tests_lease_idx")
      .on(t.leaseExpiresAt)
      .where(sql`${t.status} = 'running'`),
    index("lr_tests_owner_idx").on(t.owner, t.createdAt),
  ],
);
export type LrTestRow = typeof lrTests.$inferSelect;

// Sign-in: better-auth's tables for its Drizzle adapter, as its schema generator writes them
// for Postgres, with time zones like the tables above.
export const user = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: at("created_at").notNull().defaultNow(),
  updatedAt: at("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: at("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at")
      .notNull()
      .$onUpdate(() => new Date()),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_id_idx").on(t.userId)],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: at("access_token_expires_at"),
    refreshTokenExpiresAt: at("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at")
      .notNull()
      .$onUpdate(() => new Date()),
  },
  (t) => [index("account_user_id_idx").on(t.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: at("expires_at").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at")
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

/** What the Drizzle adapter is given: model name → table. */
export const authSchema = { user, session, account, verification };

export type User = typeof user.$inferSelect;
export type Comparison = typeof comparisons.$inferSelect;
export type NewComparison = typeof comparisons.$inferInsert;
export type Run = typeof runs.$inferSelect;
export type TuningRow = typeof tunings.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type EpochMetricsRow = typeof epochMetrics.$inferSelect;
export type CheckpointRow = typeof checkpoints.$inferSelect;
export type EpochStepsRow = typeof epochSteps.$inferSelect;
export type LeaderboardConfigRow = typeof leaderboardConfigs.$inferSelect;
export type PageChangeRow = typeof pageChanges.$inferSelect;
