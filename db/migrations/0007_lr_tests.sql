CREATE TABLE "lr_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner" text NOT NULL,
	"config" jsonb NOT NULL,
	"settings" jsonb NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"worker_id" text,
	"lease_expires_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text,
	"backend" text,
	"result" jsonb
);
--> statement-breakpoint
CREATE INDEX "lr_tests_queued_idx" ON "lr_tests" USING btree ("created_at","id") WHERE "lr_tests"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "lr_tests_lease_idx" ON "lr_tests" USING btree ("lease_expires_at") WHERE "lr_tests"."status" = 'running';--> statement-breakpoint
CREATE INDEX "lr_tests_owner_idx" ON "lr_tests" USING btree ("owner","created_at");