import { events, registrations, selectRows, type EventRow } from '@sabor/db';
import { and, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { queueRegistrationMail } from './mails';
import { promoteWaitlist, publishSeats, type EventDeps } from './registration-service';
import * as repository from './repository';

/** How often each instance runs the event jobs. */
export const eventScheduleIntervalMs = 60_000;
/** Reminders go out this long before the start ("the day before"). */
const reminderLeadHours = 24;
const reminderBatch = 200;

/**
 * Releases guest registrations not confirmed by their deadline: pending ones give back their seat
 * (the waitlist is promoted in the same transaction), waitlisted ones leave the list. Per event,
 * under the event's lock, with a conditional UPDATE: on several instances each lapses once.
 */
export async function expireUnconfirmed(deps: EventDeps): Promise<number> {
  const due = await deps.db
    .selectDistinct({ eventId: registrations.eventId })
    .from(registrations)
    .where(
      and(
        isNull(registrations.emailConfirmedAt),
        ne(registrations.status, 'cancelled'),
        lte(registrations.confirmBy, sql`now()`),
      ),
    );
  let expired = 0;
  for (const { eventId } of due) {
    expired += await deps.db.transaction(async (tx) => {
      const event = await repository.lockEvent(tx, eventId);
      if (!event) return 0;
      const rows = await tx
        .update(registrations)
        .set({
          status: 'cancelled',
          cancelledAt: sql`now()`,
          cancelReason: 'expired',
          confirmBy: null,
          updatedAt: sql`now()`,
        })
        .where(
          and(
            eq(registrations.eventId, eventId),
            isNull(registrations.emailConfirmedAt),
            inArray(registrations.status, ['pending_confirmation', 'waitlisted']),
            lte(registrations.confirmBy, sql`now()`),
          ),
        )
        .returning();
      if (rows.length === 0) return 0;
      for (const row of rows) await queueRegistrationMail(tx, deps, 'expired', event, row);
      await promoteWaitlist(tx, deps, event);
      await publishSeats(tx, event);
      return rows.length;
    });
  }
  if (expired > 0) deps.onMailQueued?.();
  return expired;
}

/**
 * Mails each confirmed registrant once, within a day before the start. The claim (setting
 * reminded_at with a conditional UPDATE … RETURNING) and the mails are one transaction: a second
 * instance running at the same moment waits for the row locks, then finds nothing left to claim.
 */
export async function sendReminders(deps: EventDeps): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await deps.db.transaction(async (tx) => {
      const soon = tx
        .select({ id: events.id })
        .from(events)
        .where(
          and(
            eq(events.state, 'published'),
            sql`${events.startsAt} > now()`,
            sql`${events.startsAt} <= now() + make_interval(hours => ${reminderLeadHours})`,
          ),
        );
      const due = tx
        .select({ id: registrations.id })
        .from(registrations)
        .where(
          and(
            inArray(registrations.eventId, soon),
            eq(registrations.status, 'confirmed'),
            isNull(registrations.remindedAt),
          ),
        )
        .limit(reminderBatch);
      const claimed = await tx
        .update(registrations)
        .set({ remindedAt: sql`now()` })
        .where(and(inArray(registrations.id, due), isNull(registrations.remindedAt)))
        .returning();
      const eventsById = new Map<string, EventRow>();
      for (const row of claimed) {
        let event = eventsById.get(row.eventId);
        if (!event) {
          event = await repository.findEvent(tx, row.eventId);
          if (!event) continue;
          eventsById.set(row.eventId, event);
        }
        await queueRegistrationMail(tx, deps, 'reminder', event, row);
      }
      return claimed.length;
    });
    sent += batch;
    if (batch < reminderBatch) break;
  }
  if (sent > 0) deps.onMailQueued?.();
  return sent;
}

/**
 * Blanks the attendees' names, emails, answers and account links `retentionDays` after an event
 * ended (statuses, arrival order and check-in times stay, so the counts remain). Each event is
 * claimed by a conditional UPDATE of personal_data_removed_at, in one transaction with the blanking.
 */
export async function removePersonalData(deps: EventDeps, retentionDays: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const done = await tx
      .update(events)
      .set({ personalDataRemovedAt: sql`now()` })
      .where(
        and(
          isNull(events.personalDataRemovedAt),
          sql`${events.endsAt} <= now() - make_interval(days => ${retentionDays})`,
        ),
      )
      .returning({ id: events.id });
    if (done.length === 0) return 0;
    await tx
      .update(registrations)
      .set({ name: null, email: null, answers: {}, userId: null, updatedAt: sql`now()` })
      .where(
        inArray(
          registrations.eventId,
          done.map((row) => row.id),
        ),
      );
    return done.length;
  });
}

/**
 * Gives free seats to waiting people wherever both exist (a seat freed outside the event's own
 * transactions, e.g. by an account deletion). Each event under its lock, so it runs safely anywhere.
 */
export async function fillFreeSeats(deps: EventDeps): Promise<number> {
  const candidates = await selectRows<{ id: string }>(
    deps.db,
    sql`select e.id from events e
        where e.state = 'published' and e.capacity is not null and e.starts_at > now()
          and exists (select 1 from registrations r where r.event_id = e.id and r.status = 'waitlisted')
          and (select count(*) from registrations r
               where r.event_id = e.id and r.status in ('confirmed', 'pending_confirmation')) < e.capacity`,
  );
  let promoted = 0;
  for (const { id } of candidates) {
    promoted += await deps.db.transaction(async (tx) => {
      const event = await repository.lockEvent(tx, id);
      if (!event) return 0;
      const count = await promoteWaitlist(tx, deps, event);
      if (count > 0) await publishSeats(tx, event);
      return count;
    });
  }
  if (promoted > 0) deps.onMailQueued?.();
  return promoted;
}

/** All event jobs once, in order; each is safe on every instance at once. */
export async function runEventSchedule(deps: EventDeps, retentionDays: number) {
  const expired = await expireUnconfirmed(deps);
  await fillFreeSeats(deps);
  const reminded = await sendReminders(deps);
  const anonymized = await removePersonalData(deps, retentionDays);
  return { expired, reminded, anonymized };
}

/** Runs the event jobs now and every minute; the returned stop waits for a run in progress. */
export function startEventScheduler(
  deps: EventDeps,
  retentionDays: number,
  onError: (err: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = runEventSchedule(deps, retentionDays).then(() => undefined, onError);
  };
  run();
  const timer = setInterval(run, eventScheduleIntervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
