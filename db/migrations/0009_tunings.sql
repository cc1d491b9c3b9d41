CREATE TYPE "public"."tuning_phase" AS ENUM('sweep', 'final', 'failed');--> statement-breakpoint
CREATE TYPE "public"."tuning_role" AS ENUM('sweep', 'final');--> statement-breakpoint
CREATE TABLE "tunings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"comparison_id" uuid NOT NULL,
	"owner" text NOT NULL,
	"base_config" jsonb NOT NULL,
	"n" integer NOT NULL,
	"k" integer NOT NULL,
	"halving" boolean NOT NULL,
	"lr_low" double precision NOT NULL,
	"lr_high" double precision NOT NULL,
	"lr_test_id" uuid,
	"phase" "tuning_phase" DEFAULT 'sweep' NOT NULL,
	"selected_lr" double precision,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leaderboard_configs" ADD COLUMN "tuned" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "tuning_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "tuning_role" "tuning_role";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "pause_after" integer;--> statement-breakpoint
ALTER TABLE "tunings" ADD CONSTRAINT "tunings_comparison_id_comparisons_id_fk" FOREIGN KEY ("comparison_id") REFERENCES "public"."comparisons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tunings_comparison_idx" ON "tunings" USING btree ("comparison_id");--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_tuning_id_tunings_id_fk" FOREIGN KEY ("tuning_id") REFERENCES "public"."tunings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_tuning_idx" ON "runs" USING btree ("tuning_id");