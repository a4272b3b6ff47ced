import { consultationTopic } from '@sabor/contracts';
import { consultations, type Database } from '@sabor/db';
import { and, eq, lte, sql } from 'drizzle-orm';
import { publishLiveEvent } from '../../live/outbox';
import { notifyFollowers } from '../follows/notify';

/** How often each instance looks for consultations due to open or close. */
export const consultationScheduleIntervalMs = 30_000;

export interface ScheduleResult {
  opened: string[];
  closed: string[];
}

/**
 * Opens scheduled consultations whose opening time has passed and closes open ones whose closing
 * time has passed. Safe on every instance at once: each transition is one conditional UPDATE, so
 * only one instance changes (and announces) a given row.
 */
export async function runConsultationSchedule(db: Database): Promise<ScheduleResult> {
  const opened = await transition(db, 'scheduled', 'open');
  const closed = await transition(db, 'open', 'closed');
  return { opened, closed };
}

async function transition(
  db: Database,
  from: 'scheduled' | 'open',
  to: 'open' | 'closed',
): Promise<string[]> {
  const due = from === 'scheduled' ? consultations.opensAt : consultations.closesAt;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(consultations)
      .set({ state: to, updatedAt: sql`now()` })
      .where(and(eq(consultations.state, from), lte(due, sql`now()`)))
      .returning({ id: consultations.id });
    // Followers' mails commit with the closing, so each is queued once, by the instance that closed.
    if (to === 'closed') {
      for (const { id } of rows) {
        await notifyFollowers(tx, { kind: 'consultation_closed', consultationId: id });
      }
    }
    // The events are the transaction's last statements (publishLiveEvent orders ids by commit).
    for (const { id } of rows) {
      await publishLiveEvent(tx, consultationTopic(id), { type: 'state_changed', state: to });
    }
    return rows.map((row) => row.id);
  });
}

/** Runs the schedule now and then every 30 s; the returned stop waits for a run in progress. */
export function startConsultationScheduler(
  db: Database,
  onError: (err: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = runConsultationSchedule(db).then(() => undefined, onError);
  };
  run();
  const timer = setInterval(run, consultationScheduleIntervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
