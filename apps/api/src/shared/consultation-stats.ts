import { consultationStats, type Executor } from '@sabor/db';
import { eq } from 'drizzle-orm';

/*
 * The running totals of a consultation's thread. The comments module writes them with each
 * comment; the consultation's page and its report read them, so the readers live below all three.
 */

/** The consultation's totals; zero before its first comment. */
export async function consultationStatsOf(db: Executor, consultationId: string) {
  const [row] = await db
    .select()
    .from(consultationStats)
    .where(eq(consultationStats.consultationId, consultationId));
  return row ?? { proposalCount: 0, participantCount: 0 };
}

/** Residents who commented on a consultation, deleted comments included. */
export async function countParticipants(db: Executor, consultationId: string): Promise<number> {
  return (await consultationStatsOf(db, consultationId)).participantCount;
}
