import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { proposalDecisions } from '@sabor/contracts/values';
import { comments } from './comments';
import { consultations } from './consultations';
import { users } from './users';

// The lists are the contracts' (one spelling for the API, the pages and the database).
export { proposalDecisions };

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

export type ProposalResponseRow = typeof proposalResponses.$inferSelect;
export type ConsultationReportRow = typeof consultationReports.$inferSelect;
