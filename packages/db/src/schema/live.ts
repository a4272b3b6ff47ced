import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every change clients see live is a row here, written in the same transaction as the change
 * (transactional outbox); ids increase in commit order (see apps/api/src/live/outbox.ts), so a
 * client's last seen id is a complete bookmark.
 */
export const liveEvents = pgTable(
  'live_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('live_events_topic_id_idx').on(table.topic, table.id)],
);

export type LiveEventRow = typeof liveEvents.$inferSelect;
