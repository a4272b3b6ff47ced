CREATE TABLE "consultation_stats" (
	"consultation_id" uuid PRIMARY KEY NOT NULL,
	"proposal_count" integer DEFAULT 0 NOT NULL,
	"participant_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX "comments_root_idx";--> statement-breakpoint
ALTER TABLE "consultation_stats" ADD CONSTRAINT "consultation_stats_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_root_idx" ON "comments" USING btree ("root_id","created_at","id");--> statement-breakpoint
-- Totals of threads written before this migration.
INSERT INTO "consultation_stats" ("consultation_id", "proposal_count", "participant_count")
SELECT "consultation_id", count(*) FILTER (WHERE "parent_id" IS NULL), count(DISTINCT "author_id")
FROM "comments" GROUP BY "consultation_id";
