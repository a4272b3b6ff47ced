import { liveEvents, type Database } from '@sabor/db';
import { asc, eq, isNull, sql } from 'drizzle-orm';

// Any constant works; it only has to be the same for every Sabor process.
const sequencerLockKey = 7_415_290_115;

/**
 * Numbers the committed live events that have no position yet, at most `limit` of them, in id
 * order, continuing from the highest position given; answers whether more may be waiting.
 *
 * Why positions are then a complete bookmark: sequencers take one lock and hold it until their
 * commit, so they run one after another, and each one's statement starts after the previous one
 * committed. A sequencer numbers only rows whose transaction has committed (the others are
 * invisible to it), and continues from the highest position committed before it. So positions
 * become visible in increasing order with no gap: a reader that sees position n sees every
 * position below n, and no later commit can add one below it. Writers never take this lock.
 *
 * Any process may call it at any time; only the hubs do, after each signal and on their poll.
 */
export async function sequenceLiveEvents(db: Database, limit = 1000): Promise<{ more: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sequencerLockKey})`);
    const batch = tx.$with('batch').as(
      tx
        .select({
          id: liveEvents.id,
          rank: sql<number>`row_number() over (order by ${liveEvents.id})`.as('rank'),
        })
        .from(liveEvents)
        .where(isNull(liveEvents.position))
        .orderBy(asc(liveEvents.id))
        .limit(limit),
    );
    const top = tx
      .$with('top')
      .as(
        tx
          .select({ last: sql<number>`coalesce(max(${liveEvents.position}), 0)`.as('last') })
          .from(liveEvents),
      );
    const numbered = await tx
      .with(batch, top)
      .update(liveEvents)
      .set({ position: sql`${top.last} + ${batch.rank}` })
      .from(batch)
      .innerJoin(top, sql`true`)
      .where(eq(liveEvents.id, batch.id))
      .returning({ position: liveEvents.position });
    return { more: numbered.length === limit };
  });
}
