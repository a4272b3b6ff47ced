CREATE TABLE "survey_stats" (
	"survey_id" uuid PRIMARY KEY NOT NULL,
	"response_count" integer DEFAULT 0 NOT NULL,
	"anonymous_count" integer DEFAULT 0 NOT NULL,
	"paper_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_tallies" (
	"question_id" uuid NOT NULL,
	"figure" text NOT NULL,
	"item" text DEFAULT '' NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"visible_count" integer DEFAULT 0 NOT NULL,
	"hidden_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "survey_tallies_pkey" PRIMARY KEY("question_id","figure","item","detail")
);
--> statement-breakpoint
ALTER TABLE "survey_answers" ADD COLUMN "submitted_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_stats" ADD CONSTRAINT "survey_stats_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_tallies" ADD CONSTRAINT "survey_tallies_question_id_survey_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."survey_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_answers_texts_idx" ON "survey_answers" USING btree ("question_id","submitted_at" DESC NULLS LAST,"id") WHERE "survey_answers"."value" ?| array['text', 'other'];--> statement-breakpoint
-- The figures an answer counts towards (see surveyTallyFigures in packages/db/src/schema/surveys.ts):
-- the one definition the API's counters, this backfill and the benchmark's bulk seeding share.
CREATE FUNCTION survey_answer_figures(answer jsonb) RETURNS TABLE (figure text, item text, detail text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'answered', '', ''
  UNION ALL
  SELECT 'other', '', '' WHERE answer ? 'other'
  UNION ALL
  SELECT 'option', o, '' FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(answer->'optionIds') = 'array' THEN answer->'optionIds' ELSE '[]' END) o
  UNION ALL
  SELECT 'number', (answer->>'number')::float8::text, '' WHERE answer ? 'number'
  UNION ALL
  SELECT 'date', answer->>'date', '' WHERE answer ? 'date'
  UNION ALL
  SELECT 'rank', r.o, r.n::text FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(answer->'ranking') = 'array' THEN answer->'ranking' ELSE '[]' END)
    WITH ORDINALITY r(o, n)
  UNION ALL
  SELECT 'cell', m.key, m.value FROM jsonb_each_text(
    CASE WHEN jsonb_typeof(answer->'matrix') = 'object' THEN answer->'matrix' ELSE '{}' END) m
$$;
--> statement-breakpoint
-- Answers and responses written before this migration: their times, counters and totals.
UPDATE "survey_answers" a SET "submitted_at" = r."submitted_at"
FROM "survey_responses" r WHERE r."id" = a."response_id";
--> statement-breakpoint
INSERT INTO "survey_tallies" ("question_id", "figure", "item", "detail", "visible_count", "hidden_count")
SELECT a."question_id", f.figure, f.item, f.detail,
       count(*) FILTER (WHERE NOT a."hidden"), count(*) FILTER (WHERE a."hidden")
FROM "survey_answers" a CROSS JOIN LATERAL survey_answer_figures(a."value") f
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO "survey_stats" ("survey_id", "response_count", "anonymous_count", "paper_count")
SELECT "survey_id", count(*), count(*) FILTER (WHERE "browser_token_hash" IS NOT NULL),
       count(*) FILTER (WHERE "source" = 'paper')
FROM "survey_responses" GROUP BY "survey_id";
