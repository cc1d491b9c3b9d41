CREATE TABLE "page_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "page_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"slug" text,
	"run_id" uuid,
	"leaderboard" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "page_changes_at_idx" ON "page_changes" USING btree ("at");--> statement-breakpoint
-- A run's change reaches its comparison's cached pages. Heartbeats (heartbeat_at, lease_expires_at)
-- change nothing a page shows and are not recorded; runs outside a comparison have no page.
CREATE FUNCTION "page_changes_for_run"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r runs;
BEGIN
	IF TG_OP = 'DELETE' THEN
		r := OLD;
	ELSE
		r := NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'heartbeat_at' - 'lease_expires_at') = (to_jsonb(OLD) - 'heartbeat_at' - 'lease_expires_at') THEN
		RETURN NULL;
	END IF;
	INSERT INTO page_changes (slug, run_id) SELECT c.share_slug, r.id FROM comparisons c WHERE c.id = r.comparison_id;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "runs_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "runs" FOR EACH ROW EXECUTE FUNCTION "page_changes_for_run"();
--> statement-breakpoint
-- A comparison created, edited, re-scoped or deleted (its runs' pages with it: run_id null).
CREATE FUNCTION "page_changes_for_comparison"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO page_changes (slug) VALUES (OLD.share_slug);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.share_slug <> OLD.share_slug) THEN
		INSERT INTO page_changes (slug) VALUES (NEW.share_slug);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "comparisons_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "comparisons" FOR EACH ROW EXECUTE FUNCTION "page_changes_for_comparison"();
--> statement-breakpoint
-- Any leaderboard refresh: one row per statement, however many configs it rewrote.
CREATE FUNCTION "page_changes_for_leaderboard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO page_changes (leaderboard) VALUES (true);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "leaderboard_page_changes" AFTER INSERT OR UPDATE OR DELETE ON "leaderboard_configs" FOR EACH STATEMENT EXECUTE FUNCTION "page_changes_for_leaderboard"();
