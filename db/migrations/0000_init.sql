CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'diverged', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."visibility" AS ENUM('public', 'unlisted', 'private');--> statement-breakpoint
CREATE TABLE "checkpoints" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"epoch" integer NOT NULL,
	"mid_epoch" boolean DEFAULT false NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comparisons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"visibility" "visibility" DEFAULT 'private' NOT NULL,
	"share_slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comparisons_share_slug_unique" UNIQUE("share_slug")
);
--> statement-breakpoint
CREATE TABLE "epoch_metrics" (
	"run_id" uuid NOT NULL,
	"epoch" integer NOT NULL,
	"lr" double precision NOT NULL,
	"loss" double precision NOT NULL,
	"acc" double precision NOT NULL,
	"val_loss" double precision NOT NULL,
	"val_acc" double precision NOT NULL,
	"seconds" double precision NOT NULL,
	"images_per_sec" double precision NOT NULL,
	CONSTRAINT "epoch_metrics_run_id_epoch_pk" PRIMARY KEY("run_id","epoch")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"comparison_id" uuid,
	"owner" text NOT NULL,
	"config" jsonb NOT NULL,
	"config_hash" text NOT NULL,
	"seed" bigint NOT NULL,
	"total_epochs" integer NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"worker_id" text,
	"lease_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text,
	"backend" text,
	"reused_from" uuid,
	"epochs_completed" integer DEFAULT 0 NOT NULL,
	"final_loss" double precision,
	"final_val_loss" double precision,
	"final_val_acc" double precision,
	"best_val_acc" double precision,
	"best_epoch" integer,
	"train_seconds" double precision
);
--> statement-breakpoint
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "epoch_metrics" ADD CONSTRAINT "epoch_metrics_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_comparison_id_comparisons_id_fk" FOREIGN KEY ("comparison_id") REFERENCES "public"."comparisons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_reused_from_runs_id_fk" FOREIGN KEY ("reused_from") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comparisons_owner_idx" ON "comparisons" USING btree ("owner","created_at");--> statement-breakpoint
CREATE INDEX "runs_queued_idx" ON "runs" USING btree ("created_at","id") WHERE "runs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "runs_lease_idx" ON "runs" USING btree ("lease_expires_at") WHERE "runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "runs_reuse_idx" ON "runs" USING btree ("config_hash","seed") WHERE "runs"."status" = 'succeeded';--> statement-breakpoint
CREATE INDEX "runs_comparison_idx" ON "runs" USING btree ("comparison_id");--> statement-breakpoint
CREATE INDEX "runs_owner_idx" ON "runs" USING btree ("owner","created_at");