import { AsyncLocalStorage } from 'node:async_hooks';
import type { LiveEventOf, LiveTopic, LiveTopicKind } from '@sabor/contracts';
import { isTransaction, liveEvents, type Database, type Executor } from '@sabor/db';
import { sql } from 'drizzle-orm';
import { sequenceLiveEvents } from './sequencer';

/** The NOTIFY channel; notifications carry a row id only, never the payload. */
export const liveChannel = 'sabor_live';

/** The row ids published by the transaction running in this async context (see announceAfterCommit). */
const publishedInTransaction = new AsyncLocalStorage<number[]>();

/**
 * Records a live event in the caller's transaction and notifies every process when (and only when)
 * that transaction commits. It takes no lock: concurrent writers commit independently. The row
 * has no position yet; the sequencer gives it one once it has committed (see sequencer.ts), and
 * that position is the event id clients see. Returns the row's id (insertion order only).
 *
 * The notification is the bus's announcement after the commit (both buses call
 * `announceAfterCommit` on the database); `pg_notify` in the transaction only where no bus runs
 * (a process without a hub).
 *
 * The payload must be one of the topic's events (`liveEventSchemas` in contracts): anything else
 * is a type error.
 */
export async function publishLiveEvent<K extends LiveTopicKind>(
  tx: Executor,
  topic: LiveTopic<K>,
  // NoInfer: the topic alone decides K; the payload is only checked against it.
  payload: NoInfer<LiveEventOf<K>>,
): Promise<{ row: number }> {
  // The caller's transaction, or one of its own when given the database: the statements must
  // share one.
  if (!isTransaction(tx)) return tx.transaction((inner) => publishLiveEvent(inner, topic, payload));
  const [row] = await tx
    .insert(liveEvents)
    .values({ topic, payload })
    .returning({ id: liveEvents.id });
  if (!row) throw new Error('live event insert returned no row');
  const announced = publishedInTransaction.getStore();
  if (announced) announced.push(row.id);
  else await tx.execute(sql`select pg_notify(${liveChannel}, ${String(row.id)})`);
  return { row: row.id };
}

/**
 * Makes every `db.transaction` of this database hand the ids of the live events it published to
 * `announce` once it has committed (never when it rolls back), instead of notifying in the
 * transaction. Both buses use it to announce after the commit: the rows are already there, so a
 * process that dies between the commit and the announcement delays the events until the other
 * processes' safety poll, and loses nothing. Returns a function that restores the database.
 *
 * The ids travel in AsyncLocalStorage from the transaction to `publishLiveEvent`; a `db.transaction`
 * started inside another one is its own transaction and announces at its own commit.
 */
export function announceAfterCommit(db: Database, announce: (ids: number[]) => void): () => void {
  const hadOwn = Object.prototype.hasOwnProperty.call(db, 'transaction');
  // Called with `this` set to the database below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = db.transaction;
  async function transaction(this: Database, ...args: Parameters<Database['transaction']>) {
    const ids: number[] = [];
    const result: unknown = await publishedInTransaction.run(ids, () => original.apply(this, args));
    if (ids.length > 0) announce(ids);
    return result;
  }
  db.transaction = transaction as Database['transaction'];
  return () => {
    if (hadOwn) db.transaction = original;
    else delete (db as Partial<Database>).transaction;
  };
}

/**
 * A bookmark taken before reading state that live events then update: numbers what has committed
 * (sequencer.ts), then answers the newest position. Every event committed before the call is at
 * or below it, so state read afterwards includes exactly those, and every event above it is one
 * the socket then delivers. Given a transaction, it does not number (the sequencer's lock would
 * last as long as the caller's transaction): events committed but not yet numbered then arrive on
 * the socket although the state shows them, which events tolerate.
 */
export async function latestEventId(db: Executor): Promise<number> {
  if (!isTransaction(db)) return (await sequenceLiveEvents(db as Database)).last;
  const [row] = await db
    .select({ value: sql<number>`coalesce(max(${liveEvents.position}), 0)`.mapWith(Number) })
    .from(liveEvents);
  return row?.value ?? 0;
}
