import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** A file sent with a mail; `cid` makes it an inline image the HTML part shows. */
export interface OutboxAttachment {
  filename: string;
  contentType: string;
  /** The bytes, base64. */
  contentBase64: string;
  cid?: string;
}

/** Every mail Sabor sends is first a row here (transactional outbox); the sender delivers it. */
export const outboxMails = pgTable(
  'outbox_mails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** Sent as the List-Unsubscribe header (mails to followers): where one click ends them. */
    listUnsubscribe: text('list_unsubscribe'),
    /** Files sent with the mail (event tickets: the QR code and an .ics). */
    attachments: jsonb('attachments').$type<OutboxAttachment[]>(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [
    index('outbox_mails_due_idx').on(table.status, table.nextAttemptAt),
    index('outbox_mails_user_id_idx').on(table.userId),
    index('outbox_mails_created_at_idx').on(table.createdAt),
  ],
);

export type OutboxMailRow = typeof outboxMails.$inferSelect;
