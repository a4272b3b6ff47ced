import { liveEvents, type Database } from '@sabor/db';
import { asc, gte, lt, max, sql } from 'drizzle-orm';

/**
 * Deletes live events older than `retentionHours`, oldest first, and never the newest row: it
 * keeps the id sequence's high-water mark visible, which the hub starts from and which tells a
 * bookmark from the future (see hub.ts). A client whose bookmark predates what is left is told to
 * resync. Safe to run from every instance at once.
 *
 * Rows are deleted below the first one (by id) that is young enough, so every deleted row is older
 * than the retention; the few old rows that committed after a younger one wait for the next run.
 */
export async function pruneLiveEvents(db: Database, retentionHours: number): Promise<void> {
  const cutoff = sql`now() - make_interval(hours => ${retentionHours})`;
  const [young] = await db
    .select({ id: liveEvents.id })
    .from(liveEvents)
    .where(gte(liveEvents.createdAt, cutoff))
    .orderBy(asc(liveEvents.id))
    .limit(1);
  const [newest] = await db.select({ id: max(liveEvents.id) }).from(liveEvents);
  if (newest?.id == null) return;
  const below = Math.min(young?.id ?? Infinity, Number(newest.id));
  await db.delete(liveEvents).where(lt(liveEvents.id, below));
}
