import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { consultations } from './consultations';
import { users } from './users';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

export const commentStances = ['for', 'against', 'neutral'] as const;

/**
 * Who sees a comment: everyone (`visible`), only its author and moderators until a moderator
 * approves it (`held`), or everyone as "hidden by moderator: <reason>" with the text kept for
 * moderators (`hidden`).
 */
export const moderationStates = ['visible', 'held', 'hidden'] as const;
/** The public reason templates a moderator hides with (`other` carries free text). */
export const hideReasonCodes = [
  'spam',
  'offensive',
  'off_topic',
  'personal_data',
  'misinformation',
  'other',
] as const;

/**
 * A resident's comment on a consultation. Top-level comments are proposals (they carry a stance
 * and receive an official response); replies nest under them. Deleting keeps the row (and the
 * place in the thread) with the text removed.
 */
export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => comments.id),
    /** The top-level comment of the thread (itself for a top-level comment). */
    rootId: uuid('root_id').references((): AnyPgColumn => comments.id),
    /** 0 for a top-level comment. */
    depth: integer('depth').notNull().default(0),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    stance: text('stance', { enum: commentStances }),
    /** Markdown as written; empty once deleted. */
    body: text('body').notNull(),
    /** The consultation version the comment was written on. */
    versionNumber: integer('version_number').notNull(),
    supportCount: integer('support_count').notNull().default(0),
    replyCount: integer('reply_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    moderationState: text('moderation_state', { enum: moderationStates })
      .notNull()
      .default('visible'),
    /** Why it is hidden (public): a template code, plus free text for `other` or as detail. */
    moderationReasonCode: text('moderation_reason_code', { enum: hideReasonCodes }),
    moderationReasonText: text('moderation_reason_text'),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
  },
  (table) => [
    index('comments_proposals_newest_idx')
      .on(table.consultationId, sql`${table.createdAt} desc`, sql`${table.id} desc`)
      .where(sql`${table.parentId} is null`),
    index('comments_proposals_supported_idx')
      .on(
        table.consultationId,
        sql`${table.supportCount} desc`,
        sql`${table.createdAt} desc`,
        sql`${table.id} desc`,
      )
      .where(sql`${table.parentId} is null`),
    index('comments_root_idx').on(table.rootId, table.createdAt, table.id),
    index('comments_author_idx').on(table.authorId, table.consultationId),
    /** Rate limits and an author's history: their comments by time. */
    index('comments_author_created_idx').on(table.authorId, sql`${table.createdAt} desc`),
  ],
);

/**
 * Running totals of a consultation's thread, kept in the same transaction as each comment so the
 * pages never count a whole thread. A row of its own (not columns of `consultations`): comment
 * writers hold a share lock on the consultation, and updating that row would deadlock them.
 */
export const consultationStats = pgTable('consultation_stats', {
  consultationId: uuid('consultation_id')
    .primaryKey()
    .references(() => consultations.id, { onDelete: 'cascade' }),
  /** Top-level comments, deleted ones included (they keep their place). */
  proposalCount: integer('proposal_count').notNull().default(0),
  /** Distinct residents who commented, deleted comments included. */
  participantCount: integer('participant_count').notNull().default(0),
});

/** One support ("+1") per resident per comment. */
export const commentSupports = pgTable(
  'comment_supports',
  {
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.commentId, table.userId] })],
);

export const proposalDecisions = [
  'received',
  'under_review',
  'accepted',
  'partly_accepted',
  'not_accepted',
] as const;

/** The municipality's official response to a proposal (a top-level comment). */
export const proposalResponses = pgTable('proposal_responses', {
  commentId: uuid('comment_id')
    .primaryKey()
    .references(() => comments.id, { onDelete: 'cascade' }),
  decision: text('decision', { enum: proposalDecisions }).notNull(),
  /** Public reason; required for the final decisions. */
  reason: text('reason'),
  respondedBy: uuid('responded_by')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The published report (справка) of a closed consultation. */
export const consultationReports = pgTable('consultation_reports', {
  consultationId: uuid('consultation_id')
    .primaryKey()
    .references(() => consultations.id, { onDelete: 'cascade' }),
  /** Staff's introduction and conclusions (Markdown). */
  summary: text('summary').notNull(),
  publishedBy: uuid('published_by')
    .notNull()
    .references(() => users.id),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A file attached to a consultation (PDF, DOCX, ODT), kept in the database for every instance. */
export const consultationDocuments = pgTable(
  'consultation_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    /** Decided from the file's first bytes, never from its name. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('consultation_documents_consultation_idx').on(table.consultationId)],
);

/** A resident following a consultation; the token signs the unsubscribe link in every mail. */
export const consultationFollows = pgTable(
  'consultation_follows',
  {
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    unsubscribeToken: text('unsubscribe_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.consultationId, table.userId] }),
    uniqueIndex('consultation_follows_token_key').on(table.unsubscribeToken),
    index('consultation_follows_user_idx').on(table.userId),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
export type ConsultationStatsRow = typeof consultationStats.$inferSelect;
export type ProposalResponseRow = typeof proposalResponses.$inferSelect;
export type ConsultationReportRow = typeof consultationReports.$inferSelect;
export type ConsultationDocumentRow = typeof consultationDocuments.$inferSelect;
export type ConsultationFollowRow = typeof consultationFollows.$inferSelect;
