import type { Database } from '@sabor/db';
import { sql } from 'drizzle-orm';

// Any constant works; it only has to be the same for every Sabor process.
const sequencerLockKey = 7_415_290_115;

/**
 * Numbers the committed live events that have no position yet, at most `limit` of them, in id
 * order, continuing from the highest position given; answers whether more may be waiting and the
 * newest position.
 *
 * Why positions are then a complete bookmark: sequencers take one lock and hold it until their
 * commit, so they run one after another, and each one's statement starts after the previous one
 * committed. A sequencer numbers only rows whose transaction has committed (the others are
 * invisible to it), and continues from the highest position committed before it. So positions
 * become visible in increasing order with no gap: a reader that sees position n sees every
 * position below n, and no later commit can add one below it. Writers never take this lock.
 *
 * The work is one call of the SQL function `sabor_sequence_live_events` (migration 0014), in a
 * transaction of its own: one round trip instead of four. Any process may call it at any time, but
 * never inside a transaction (the lock would last as long as the caller's); the hubs do, after each
 * signal and on their poll.
 */
export async function sequenceLiveEvents(
  db: Database,
  limit = 1000,
): Promise<{ more: boolean; last: number }> {
  const [row] = await db
    .select({
      numbered: sql<number>`numbered`.mapWith(Number),
      last: sql<number>`last_position`.mapWith(Number),
    })
    .from(sql`sabor_sequence_live_events(${limit}, ${sequencerLockKey})`);
  if (!row) throw new Error('sabor_sequence_live_events returned no row');
  return { more: row.numbered === limit, last: row.last };
}
