import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { commentStances, hideReasonCodes } from '@sabor/contracts/values';
import { consultations } from './consultations';
import { users } from './users';

// The lists are the contracts' (one spelling for the API, the pages and the database).
export { commentStances, hideReasonCodes };

/**
 * Who sees a comment: everyone (`visible`), only its author and moderators until a moderator
 * approves it (`held`), or everyone as "hidden by moderator: <reason>" with the text kept for
 * moderators (`hidden`).
 */
export const moderationStates = ['visible', 'held', 'hidden'] as const;

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

export type CommentRow = typeof comments.$inferSelect;
export type ConsultationStatsRow = typeof consultationStats.$inferSelect;
