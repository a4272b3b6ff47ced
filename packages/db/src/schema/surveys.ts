import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  surveyStates,
  surveyAudiences,
  surveyResultsVisibilities,
  surveyQuestionKinds,
  surveyOptionRoles,
} from '@sabor/contracts/values';
import { users } from './users';

// The lists are the contracts' (one spelling for the API, the pages and the database).
export {
  surveyStates,
  surveyAudiences,
  surveyResultsVisibilities,
  surveyQuestionKinds,
  surveyOptionRoles,
};

export const surveyResponseSources = ['online', 'paper'] as const;

/** Show a question only when an earlier question's answer includes one of these options. */
export interface SurveyCondition {
  questionId: string;
  optionIds: string[];
}

/**
 * An answer as stored (and as submitted): the one field its question's kind uses.
 * Choice: `optionIds` and/or `other`; text: `text`; number and scale: `number`; date: `date`
 * (YYYY-MM-DD); ranking: `ranking` (every option id, first is best); matrix: `matrix` (row → column).
 */
export interface SurveyAnswerValue {
  optionIds?: string[];
  other?: string;
  text?: string;
  number?: number;
  date?: string;
  ranking?: string[];
  matrix?: Record<string, string>;
}

/** A survey the municipality runs. Times are instants; `closesAt` null means open until closed. */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    titleBg: text('title_bg').notNull(),
    titleEn: text('title_en'),
    /** Markdown as written. */
    introBg: text('intro_bg').notNull().default(''),
    introEn: text('intro_en'),
    thankYouBg: text('thank_you_bg').notNull().default(''),
    thankYouEn: text('thank_you_en'),
    opensAt: timestamp('opens_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    audience: text('audience', { enum: surveyAudiences }).notNull().default('residents'),
    resultsVisibility: text('results_visibility', { enum: surveyResultsVisibilities })
      .notNull()
      .default('after_close'),
    state: text('state', { enum: surveyStates }).notNull().default('draft'),
    createdBy: uuid('created_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('surveys_state_idx').on(table.state, table.createdAt),
    check(
      'surveys_closes_after_opens_check',
      sql`${table.closesAt} is null or ${table.opensAt} is null or ${table.closesAt} > ${table.opensAt}`,
    ),
  ],
);

/** A page of a survey. */
export const surveySections = pgTable(
  'survey_sections',
  {
    id: uuid('id').primaryKey(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    titleBg: text('title_bg').notNull(),
    titleEn: text('title_en'),
  },
  (table) => [index('survey_sections_survey_idx').on(table.surveyId, table.position)],
);

export const surveyQuestions = pgTable(
  'survey_questions',
  {
    id: uuid('id').primaryKey(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => surveySections.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: surveyQuestionKinds }).notNull(),
    required: boolean('required').notNull().default(false),
    textBg: text('text_bg').notNull(),
    textEn: text('text_en'),
    helpBg: text('help_bg'),
    helpEn: text('help_en'),
    /** Choice questions: an "other, please specify" text. */
    allowOther: boolean('allow_other').notNull().default(false),
    /** multiple_choice: selections; number and scale: the value range. */
    min: doublePrecision('min'),
    max: doublePrecision('max'),
    minLabelBg: text('min_label_bg'),
    minLabelEn: text('min_label_en'),
    maxLabelBg: text('max_label_bg'),
    maxLabelEn: text('max_label_en'),
    showIf: jsonb('show_if').$type<SurveyCondition>(),
  },
  (table) => [index('survey_questions_survey_idx').on(table.surveyId, table.position)],
);

export const surveyOptions = pgTable(
  'survey_options',
  {
    id: uuid('id').primaryKey(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: 'cascade' }),
    role: text('role', { enum: surveyOptionRoles }).notNull().default('option'),
    position: integer('position').notNull(),
    labelBg: text('label_bg').notNull(),
    labelEn: text('label_en'),
  },
  (table) => [index('survey_options_question_idx').on(table.questionId, table.position)],
);

/** One person's (or one browser's, or one paper form's) response. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** SHA-256 of the browser token of an anonymous response. */
    browserTokenHash: text('browser_token_hash'),
    source: text('source', { enum: surveyResponseSources }).notNull().default('online'),
    /** The staff member who typed in a paper response. */
    enteredBy: uuid('entered_by').references(() => users.id, { onDelete: 'set null' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('survey_responses_user_key').on(table.surveyId, table.userId),
    uniqueIndex('survey_responses_browser_key').on(table.surveyId, table.browserTokenHash),
    index('survey_responses_survey_idx').on(table.surveyId, table.submittedAt),
  ],
);

export const surveyAnswers = pgTable(
  'survey_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    responseId: uuid('response_id')
      .notNull()
      .references(() => surveyResponses.id, { onDelete: 'cascade' }),
    questionId: uuid('question_id')
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: 'cascade' }),
    value: jsonb('value').$type<SurveyAnswerValue>().notNull(),
    /** A moderator hid a free-text answer (personal data): kept for staff, out of public results. */
    hidden: boolean('hidden').notNull().default(false),
    hiddenBy: uuid('hidden_by').references(() => users.id, { onDelete: 'set null' }),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    /** Why, as the moderator gave it (also in the audit log); shown to staff beside the answer. */
    hiddenReason: text('hidden_reason'),
    /** The response's `submitted_at`, copied so free-text lists read newest first from an index. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('survey_answers_response_question_key').on(table.responseId, table.questionId),
    index('survey_answers_question_idx').on(table.questionId),
    // The free-text lists of the results: the newest answers with text of one question.
    index('survey_answers_texts_idx')
      .on(table.questionId, table.submittedAt.desc(), table.id)
      .where(sql`${table.value} ?| array['text', 'other']`),
  ],
);

/**
 * Running totals of a survey's responses, kept in each response's transaction so that results and
 * lists never count the responses. A row of its own (not columns of `surveys`): submitters hold a
 * share lock on the survey row, and updating that row would deadlock them.
 */
export const surveyStats = pgTable('survey_stats', {
  surveyId: uuid('survey_id')
    .primaryKey()
    .references(() => surveys.id, { onDelete: 'cascade' }),
  responseCount: integer('response_count').notNull().default(0),
  /** Responses of browsers without an account (`browser_token_hash` set). */
  anonymousCount: integer('anonymous_count').notNull().default(0),
  paperCount: integer('paper_count').notNull().default(0),
});

/**
 * What a counter of `survey_tallies` counts, per question. `item` and `detail` say which one:
 * answered (every answer), other (answers with an "other" text), option (item: option id),
 * number (item: the value as float8 text; number and scale), date (item: YYYY-MM-DD),
 * rank (item: option id, detail: its position from 1), cell (item: row id, detail: column id).
 * The SQL function `survey_answer_figures(jsonb)` (migration 0013) turns an answer into its figures.
 */
export const surveyTallyFigures = [
  'answered',
  'other',
  'option',
  'number',
  'date',
  'rank',
  'cell',
] as const;

/**
 * The counters survey results are read from: how many answers to a question have each figure,
 * visible ones and ones a moderator hid apart (the public sees only the visible). Moved in the
 * same transaction as every answer written, edited, hidden or restored (tallies.ts), so results of
 * 50,000 responses cost what results of 50 do.
 */
export const surveyTallies = pgTable(
  'survey_tallies',
  {
    questionId: uuid('question_id')
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: 'cascade' }),
    figure: text('figure', { enum: surveyTallyFigures }).notNull(),
    item: text('item').notNull().default(''),
    detail: text('detail').notNull().default(''),
    visibleCount: integer('visible_count').notNull().default(0),
    hiddenCount: integer('hidden_count').notNull().default(0),
  },
  (table) => [
    primaryKey({
      name: 'survey_tallies_pkey',
      columns: [table.questionId, table.figure, table.item, table.detail],
    }),
  ],
);

export type SurveyRow = typeof surveys.$inferSelect;
export type SurveySectionRow = typeof surveySections.$inferSelect;
export type SurveyQuestionRow = typeof surveyQuestions.$inferSelect;
export type SurveyOptionRow = typeof surveyOptions.$inferSelect;
export type SurveyResponseRow = typeof surveyResponses.$inferSelect;
export type SurveyAnswerRow = typeof surveyAnswers.$inferSelect;
export type SurveyTallyFigure = (typeof surveyTallyFigures)[number];
