import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  reportReasons,
  moderationCauses,
  holdReasons,
  moderationItemStatuses,
} from '@sabor/contracts/values';
import { hideReasonCodes } from './comments';
import { consultations } from './consultations';
import { users } from './users';

// The lists are the contracts' (one spelling for the API, the pages and the database).
export { reportReasons, moderationCauses, holdReasons, moderationItemStatuses };

/** What can be moderated: comments now, survey free-text answers later. */
export const moderationSubjectTypes = ['comment'] as const;
export const moderationDecisions = ['approved', 'hidden', 'restored', 'reviewed'] as const;

/**
 * One row per moderated subject (a comment): its place in the moderators' queue. It enters the
 * queue when held, reported or auto-hidden (`pending`), leaves it with a decision (`resolved`) and
 * may enter again on new reports.
 */
export const moderationItems = pgTable(
  'moderation_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectType: text('subject_type', { enum: moderationSubjectTypes }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** For filtering the queue; null for subjects outside consultations. */
    consultationId: uuid('consultation_id').references(() => consultations.id, {
      onDelete: 'cascade',
    }),
    authorId: uuid('author_id').references(() => users.id),
    status: text('status', { enum: moderationItemStatuses }).notNull().default('pending'),
    cause: text('cause', { enum: moderationCauses }).notNull(),
    holdReason: text('hold_reason', { enum: holdReasons }),
    /** E.g. the matched words of a word-list hold. */
    holdDetails: jsonb('hold_details').$type<{ words?: string[] }>(),
    /** Reports not yet dismissed by a decision (each from a distinct resident). */
    reportCount: integer('report_count').notNull().default(0),
    lastReportedAt: timestamp('last_reported_at', { withTimezone: true }),
    /** When it last entered the queue: "newest first" and the time to a decision count from it. */
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    decision: text('decision', { enum: moderationDecisions }),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('moderation_items_subject_key').on(table.subjectType, table.subjectId),
    index('moderation_items_queue_newest_idx').on(
      table.status,
      sql`${table.enteredAt} desc`,
      sql`${table.id} desc`,
    ),
    index('moderation_items_queue_reported_idx').on(
      table.status,
      sql`${table.reportCount} desc`,
      sql`${table.enteredAt} desc`,
      sql`${table.id} desc`,
    ),
    index('moderation_items_consultation_idx').on(table.consultationId, table.status),
    index('moderation_items_author_idx').on(table.authorId),
  ],
);

/** A resident's report of a subject; one per resident per subject, ever. */
export const moderationReports = pgTable(
  'moderation_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => moderationItems.id, { onDelete: 'cascade' }),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason', { enum: reportReasons }).notNull(),
    details: text('details'),
    /** Set when a decision (approve, review) dismissed it; it then no longer counts. */
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('moderation_reports_reporter_key').on(table.itemId, table.reporterId),
    index('moderation_reports_reason_idx').on(table.reason, table.itemId),
  ],
);

/**
 * Every decision on an item, in order (the item keeps only the latest): the author's history,
 * decisions per day and the time to a decision come from here. Never updated.
 */
export const moderationDecisionLog = pgTable(
  'moderation_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => moderationItems.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id),
    moderatorId: uuid('moderator_id')
      .notNull()
      .references(() => users.id),
    decision: text('decision', { enum: moderationDecisions }).notNull(),
    reasonCode: text('reason_code', { enum: hideReasonCodes }),
    reasonText: text('reason_text'),
    /** When the item entered the queue before this decision. */
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('moderation_decisions_decided_at_idx').on(table.decidedAt),
    index('moderation_decisions_author_idx').on(table.authorId, sql`${table.decidedAt} desc`),
  ],
);

/** Private notes moderators keep on a user; only staff read them. */
export const moderatorNotes = pgTable(
  'moderator_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('moderator_notes_user_idx').on(table.userId, sql`${table.createdAt} desc`)],
);

export const userNoticeKinds = [
  'comment_held',
  'comment_hidden',
  'comment_restored',
  'comment_approved',
  'warning',
] as const;

/** In-app messages to a user about moderation of their content or account. */
export const userNotices = pgTable(
  'user_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: userNoticeKinds }).notNull(),
    consultationId: uuid('consultation_id').references(() => consultations.id, {
      onDelete: 'cascade',
    }),
    commentId: uuid('comment_id'),
    holdReason: text('hold_reason', { enum: holdReasons }),
    reasonCode: text('reason_code', { enum: hideReasonCodes }),
    reasonText: text('reason_text'),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('user_notices_user_idx').on(table.userId, sql`${table.createdAt} desc`)],
);

/** The automatic protection an admin tunes; exactly one row (id 1). */
export const moderationSettings = pgTable(
  'moderation_settings',
  {
    id: smallint('id').primaryKey().default(1),
    /** Distinct residents' reports that hide a comment pending review. */
    autoHideReports: integer('auto_hide_reports').notNull().default(3),
    /** An account is new for this many hours after sign-up. */
    newAccountHours: integer('new_account_hours').notNull().default(24),
    /** A new account's first K comments are held (0: none). */
    newAccountHeldComments: integer('new_account_held_comments').notNull().default(0),
    /** Comments a new account may post per minute (0: no limit). */
    newAccountPerMinute: integer('new_account_per_minute').notNull().default(3),
    /** Comments a new account may post while it is new (0: no limit). */
    newAccountPerDay: integer('new_account_per_day').notNull().default(30),
    /** Hold comments with links from new accounts. */
    holdLinksFromNewAccounts: boolean('hold_links_from_new_accounts').notNull().default(true),
    /** Words or phrases that hold a comment for review (matched case-insensitively). */
    wordsBg: text('words_bg')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    wordsEn: text('words_en')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('moderation_settings_single_row', sql`${table.id} = 1`)],
);

export type ModerationItemRow = typeof moderationItems.$inferSelect;
export type ModerationReportRow = typeof moderationReports.$inferSelect;
export type ModerationSettingsRow = typeof moderationSettings.$inferSelect;
export type UserNoticeRow = typeof userNotices.$inferSelect;
