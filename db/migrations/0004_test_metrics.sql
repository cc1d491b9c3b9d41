ALTER TABLE "epoch_metrics" ADD COLUMN "test_loss" double precision;--> statement-breakpoint
ALTER TABLE "epoch_metrics" ADD COLUMN "test_acc" double precision;