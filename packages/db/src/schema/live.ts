import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Every change clients see live is a row here, written in the same transaction as the change
 * (transactional outbox). `id` is the insertion order, which is not the commit order; `position`
 * is given after the commit, by one sequencer at a time (see apps/api/src/live/sequencer.ts), so
 * positions are dense, increase in the order they become visible, and a client's last seen
 * position is a complete bookmark. Clients know an event's position as its "id".
 */
export const liveEvents = pgTable(
  'live_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Null from the insert until the sequencer has numbered the committed row. */
    position: bigint('position', { mode: 'number' }),
    topic: text('topic').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('live_events_position_idx').on(table.position),
    index('live_events_topic_position_idx').on(table.topic, table.position),
    index('live_events_unpositioned_idx')
      .on(table.id)
      .where(sql`${table.position} is null`),
  ],
);

export type LiveEventRow = typeof liveEvents.$inferSelect;
