CREATE TABLE "epoch_steps" (
	"run_id" uuid NOT NULL,
	"epoch" integer NOT NULL,
	"step" integer[] NOT NULL,
	"lr" double precision[] NOT NULL,
	"lr_min" double precision[] NOT NULL,
	"lr_max" double precision[] NOT NULL,
	"loss" double precision[] NOT NULL,
	CONSTRAINT "epoch_steps_run_id_epoch_pk" PRIMARY KEY("run_id","epoch")
);
--> statement-breakpoint
ALTER TABLE "epoch_steps" ADD CONSTRAINT "epoch_steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;