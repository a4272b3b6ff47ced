DROP INDEX "live_events_topic_id_idx";--> statement-breakpoint
ALTER TABLE "live_events" ADD COLUMN "position" bigint;--> statement-breakpoint
-- Until now ids were given in commit order (under a lock), so they are the positions: every bookmark clients hold stays valid.
UPDATE "live_events" SET "position" = "id";--> statement-breakpoint
CREATE UNIQUE INDEX "live_events_position_idx" ON "live_events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "live_events_topic_position_idx" ON "live_events" USING btree ("topic","position");--> statement-breakpoint
CREATE INDEX "live_events_unpositioned_idx" ON "live_events" USING btree ("id") WHERE "live_events"."position" is null;