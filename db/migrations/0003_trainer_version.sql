ALTER TABLE "runs" ADD COLUMN "trainer_version" text;--> statement-breakpoint
-- Existing rows aggregate runs from before versions (their trainer_version is null).
ALTER TABLE "leaderboard_configs" ADD COLUMN "trainer_version" text NOT NULL DEFAULT 'unversioned';--> statement-breakpoint
ALTER TABLE "leaderboard_configs" ALTER COLUMN "trainer_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "leaderboard_configs" DROP CONSTRAINT "leaderboard_configs_pkey";--> statement-breakpoint
ALTER TABLE "leaderboard_configs" ADD CONSTRAINT "leaderboard_configs_config_hash_trainer_version_pk" PRIMARY KEY("config_hash","trainer_version");
