import { liveEvents, type Database } from '@sabor/db';
import { and, asc, gte, isNotNull, lt, max, sql } from 'drizzle-orm';

/**
 * Deletes live events older than `retentionHours`, oldest first, and never the newest positioned
 * row: it keeps the highest position visible, which the sequencer continues from, the hub starts
 * from and which tells a bookmark from the future (see hub.ts). Rows not yet positioned are never
 * deleted. A client whose bookmark predates what is left is told to resync. Safe to run from every
 * instance at once.
 *
 * Rows are deleted below the first one (by position) that is young enough, so every deleted row is
 * older than the retention; the few old rows positioned after a younger one wait for the next run.
 */
export async function pruneLiveEvents(db: Database, retentionHours: number): Promise<void> {
  const cutoff = sql`now() - make_interval(hours => ${retentionHours})`;
  const [young] = await db
    .select({ position: liveEvents.position })
    .from(liveEvents)
    .where(and(gte(liveEvents.createdAt, cutoff), isNotNull(liveEvents.position)))
    .orderBy(asc(liveEvents.position))
    .limit(1);
  const [newest] = await db.select({ position: max(liveEvents.position) }).from(liveEvents);
  if (newest?.position == null) return;
  const below = Math.min(young?.position ?? Infinity, Number(newest.position));
  await db.delete(liveEvents).where(lt(liveEvents.position, below));
}
