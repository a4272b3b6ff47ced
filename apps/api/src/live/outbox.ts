import { liveEvents, type Executor } from '@sabor/db';
import { sql } from 'drizzle-orm';

/** The NOTIFY channel; notifications carry an event id only, never the payload. */
export const liveChannel = 'sabor_live';

// Any constant works; it only has to be the same for every Sabor process.
const publishLockKey = 7_415_290_115;

/**
 * Records a live event in the caller's transaction and notifies every process when (and only when)
 * that transaction commits. Call it as the last statement of the transaction: it takes a
 * transaction-scoped lock so that event ids are assigned in commit order, which is what lets a
 * reader treat "every id up to the highest one it sees" as final (no later commit can fill a gap
 * below it). The lock is held only from here to the commit.
 */
export async function publishLiveEvent(
  tx: Executor,
  topic: string,
  payload: unknown,
): Promise<{ id: number }> {
  // A savepoint inside the caller's transaction, or a transaction of its own when given the
  // database: the three statements must share one.
  return tx.transaction(async (inner) => {
    await inner.execute(sql`select pg_advisory_xact_lock(${publishLockKey})`);
    const [row] = await inner
      .insert(liveEvents)
      .values({ topic, payload })
      .returning({ id: liveEvents.id });
    if (!row) throw new Error('live event insert returned no row');
    await inner.execute(sql`select pg_notify(${liveChannel}, ${String(row.id)})`);
    return row;
  });
}
