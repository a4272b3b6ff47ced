import {
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { consultations } from './consultations';
import { users } from './users';

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

export type ConsultationFollowRow = typeof consultationFollows.$inferSelect;
