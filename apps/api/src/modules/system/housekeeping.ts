import { idempotencyKeys, loginFailures, sessions, userTokens, type Database } from '@sabor/db';
import { lt, sql } from 'drizzle-orm';
import { pruneLiveEvents } from '../../live/pruning';

/**
 * Deletes what has expired, and live events older than `liveEventRetentionHours`. Safe to run from
 * every instance at once: each statement is idempotent.
 */
export async function purgeExpired(db: Database, liveEventRetentionHours = 72): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
  await db.delete(userTokens).where(lt(userTokens.expiresAt, sql`now() - interval '1 day'`));
  await db.delete(loginFailures).where(lt(loginFailures.createdAt, sql`now() - interval '1 day'`));
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - interval '1 day'`));
  await pruneLiveEvents(db, liveEventRetentionHours);
}
