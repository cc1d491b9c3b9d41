CREATE TABLE "leaderboard_configs" (
	"config_hash" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"model" text NOT NULL,
	"optimizer_kind" text NOT NULL,
	"optimizer_text" text NOT NULL,
	"schedule_kind" text NOT NULL,
	"schedule_text" text NOT NULL,
	"search_text" text NOT NULL,
	"epochs" integer NOT NULL,
	"batch_size" integer NOT NULL,
	"n" integer NOT NULL,
	"diverged" integer NOT NULL,
	"failed" integer NOT NULL,
	"mean_acc" double precision,
	"std_acc" double precision,
	"ci_low" double precision,
	"ci_high" double precision,
	"mean_best_acc" double precision,
	"mean_train_seconds" double precision,
	"epochs_to_50" double precision,
	"seconds_to_50" double precision,
	"reached_50" integer NOT NULL,
	"epochs_to_60" double precision,
	"seconds_to_60" double precision,
	"reached_60" integer NOT NULL,
	"epochs_to_70" double precision,
	"seconds_to_70" double precision,
	"reached_70" integer NOT NULL,
	"epochs_to_80" double precision,
	"seconds_to_80" double precision,
	"reached_80" integer NOT NULL,
	"epochs_to_90" double precision,
	"seconds_to_90" double precision,
	"reached_90" integer NOT NULL,
	"backends" text NOT NULL,
	"curve" double precision[] NOT NULL,
	"comparisons" jsonb NOT NULL,
	"comparison_count" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "epochs_to_target" integer[];--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "seconds_to_target" double precision[];--> statement-breakpoint
CREATE INDEX "leaderboard_mean_idx" ON "leaderboard_configs" USING btree ("mean_acc" DESC NULLS LAST,"config_hash");--> statement-breakpoint
CREATE INDEX "leaderboard_optimizer_idx" ON "leaderboard_configs" USING btree ("optimizer_kind","mean_acc" DESC NULLS LAST,"config_hash");--> statement-breakpoint
CREATE INDEX "leaderboard_schedule_idx" ON "leaderboard_configs" USING btree ("schedule_kind","mean_acc" DESC NULLS LAST,"config_hash");--> statement-breakpoint
CREATE INDEX "leaderboard_model_idx" ON "leaderboard_configs" USING btree ("model","mean_acc" DESC NULLS LAST,"config_hash");--> statement-breakpoint
CREATE INDEX "leaderboard_epochs_idx" ON "leaderboard_configs" USING btree ("epochs","mean_acc" DESC NULLS LAST,"config_hash");--> statement-breakpoint
CREATE INDEX "runs_config_hash_idx" ON "runs" USING btree ("config_hash");