import {
  containsPattern,
  eventAgendaItems,
  eventQuestions,
  events,
  registrations,
  type EventAgendaItemRow,
  type EventQuestionRow,
  type EventRow,
  type Executor,
  type RegistrationRow,
} from '@sabor/db';
import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  ilike,
  inArray,
  lte,
  ne,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';

export async function findEvent(db: Executor, id: string): Promise<EventRow | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row;
}

/**
 * The event row locked for the rest of the transaction. Every decision about its seats (register,
 * cancel, promote, expire, capacity change) takes this lock first, so they happen one at a time
 * per event and each sees the counts the previous one left.
 */
export async function lockEvent(tx: Executor, id: string): Promise<EventRow | undefined> {
  const [row] = await tx.select().from(events).where(eq(events.id, id)).for('update');
  return row;
}

export interface SeatCounts {
  /** Confirmed and pending registrations: the seats taken. */
  taken: number;
  waitlisted: number;
}

export async function seatCounts(db: Executor, eventId: string): Promise<SeatCounts> {
  const [row] = await db
    .select({
      taken:
        sql<number>`count(*) filter (where ${registrations.status} in ('confirmed', 'pending_confirmation'))`.mapWith(
          Number,
        ),
      waitlisted:
        sql<number>`count(*) filter (where ${registrations.status} = 'waitlisted')`.mapWith(Number),
    })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), ne(registrations.status, 'cancelled')));
  return { taken: row?.taken ?? 0, waitlisted: row?.waitlisted ?? 0 };
}

/** Seat counts of several events at once (lists). */
export async function seatCountsOf(
  db: Executor,
  eventIds: string[],
): Promise<Map<string, SeatCounts>> {
  const result = new Map<string, SeatCounts>();
  if (eventIds.length === 0) return result;
  const rows = await db
    .select({
      eventId: registrations.eventId,
      taken:
        sql<number>`count(*) filter (where ${registrations.status} in ('confirmed', 'pending_confirmation'))`.mapWith(
          Number,
        ),
      waitlisted:
        sql<number>`count(*) filter (where ${registrations.status} = 'waitlisted')`.mapWith(Number),
    })
    .from(registrations)
    .where(and(inArray(registrations.eventId, eventIds), ne(registrations.status, 'cancelled')))
    .groupBy(registrations.eventId);
  for (const row of rows) result.set(row.eventId, { taken: row.taken, waitlisted: row.waitlisted });
  return result;
}

export async function listAgenda(db: Executor, eventId: string): Promise<EventAgendaItemRow[]> {
  return db
    .select()
    .from(eventAgendaItems)
    .where(eq(eventAgendaItems.eventId, eventId))
    .orderBy(asc(eventAgendaItems.position));
}

export async function listQuestions(db: Executor, eventId: string): Promise<EventQuestionRow[]> {
  return db
    .select()
    .from(eventQuestions)
    .where(eq(eventQuestions.eventId, eventId))
    .orderBy(asc(eventQuestions.position));
}

/** The person's registration that is not cancelled, by account or by email. */
export async function findActiveRegistration(
  db: Executor,
  eventId: string,
  person: { userId: string | null; email: string },
): Promise<RegistrationRow | undefined> {
  const who = person.userId
    ? or(eq(registrations.userId, person.userId), eq(registrations.email, person.email))!
    : eq(registrations.email, person.email);
  const [row] = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), ne(registrations.status, 'cancelled'), who))
    .limit(1);
  return row;
}

export async function findRegistration(
  db: Executor,
  id: string,
): Promise<RegistrationRow | undefined> {
  const [row] = await db.select().from(registrations).where(eq(registrations.id, id));
  return row;
}

/** The first on the waitlist, locked (only its event's lock holder calls this). */
export async function firstWaitlisted(
  tx: Executor,
  eventId: string,
): Promise<RegistrationRow | undefined> {
  const [row] = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.status, 'waitlisted')))
    .orderBy(asc(registrations.seq))
    .limit(1)
    .for('update');
  return row;
}

/** 1-based place on the waitlist. */
export async function waitlistPosition(db: Executor, row: RegistrationRow): Promise<number> {
  const [result] = await db
    .select({ value: count() })
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, row.eventId),
        eq(registrations.status, 'waitlisted'),
        lte(registrations.seq, row.seq),
      ),
    );
  return result?.value ?? 1;
}

export interface EventListFilter {
  states: EventRow['state'][];
  when?: 'upcoming' | 'past' | undefined;
  type?: EventRow['type'] | undefined;
  page: number;
  pageSize: number;
}

export async function listEvents(db: Executor, filter: EventListFilter) {
  const conditions: SQL[] = [inArray(events.state, filter.states)];
  if (filter.when === 'upcoming') conditions.push(gt(events.endsAt, sql`now()`));
  if (filter.when === 'past') conditions.push(lte(events.endsAt, sql`now()`));
  if (filter.type) conditions.push(eq(events.type, filter.type));
  const where = and(...conditions);
  const order =
    filter.when === 'upcoming'
      ? [asc(events.startsAt), asc(events.id)]
      : [desc(events.startsAt), asc(events.id)];
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(events)
      .where(where)
      .orderBy(...order)
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize),
    db.select({ value: count() }).from(events).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export interface AttendeeFilter {
  status?: RegistrationRow['status'] | undefined;
  q?: string | undefined;
  page?: number;
  pageSize?: number;
}

export async function listRegistrations(db: Executor, eventId: string, filter: AttendeeFilter) {
  const conditions: SQL[] = [eq(registrations.eventId, eventId)];
  if (filter.status) conditions.push(eq(registrations.status, filter.status));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    conditions.push(or(ilike(registrations.name, pattern), ilike(registrations.email, pattern))!);
  }
  const where = and(...conditions);
  const query = db.select().from(registrations).where(where).orderBy(asc(registrations.seq));
  const rows =
    filter.pageSize !== undefined
      ? await query.limit(filter.pageSize).offset(((filter.page ?? 1) - 1) * filter.pageSize)
      : await query;
  const [total] = await db.select({ value: count() }).from(registrations).where(where);
  return { rows, total: total?.value ?? 0 };
}

export async function registrationCounts(db: Executor, eventId: string) {
  const [row] = await db
    .select({
      confirmed: sql<number>`count(*) filter (where ${registrations.status} = 'confirmed')`.mapWith(
        Number,
      ),
      pendingConfirmation:
        sql<number>`count(*) filter (where ${registrations.status} = 'pending_confirmation')`.mapWith(
          Number,
        ),
      waitlisted:
        sql<number>`count(*) filter (where ${registrations.status} = 'waitlisted')`.mapWith(Number),
      cancelled: sql<number>`count(*) filter (where ${registrations.status} = 'cancelled')`.mapWith(
        Number,
      ),
      checkedIn:
        sql<number>`count(*) filter (where ${registrations.checkedInAt} is not null)`.mapWith(
          Number,
        ),
    })
    .from(registrations)
    .where(eq(registrations.eventId, eventId));
  return {
    confirmed: row?.confirmed ?? 0,
    pendingConfirmation: row?.pendingConfirmation ?? 0,
    waitlisted: row?.waitlisted ?? 0,
    cancelled: row?.cancelled ?? 0,
    checkedIn: row?.checkedIn ?? 0,
  };
}

/** Registrations that get news of the event (time or place changed, cancelled). */
export async function activeRegistrations(db: Executor, eventId: string) {
  return db
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), ne(registrations.status, 'cancelled')))
    .orderBy(asc(registrations.seq));
}

/** Registrations of one account, newest event first. */
export async function registrationsOfUser(
  db: Executor,
  userId: string,
  page: number,
  pageSize: number,
) {
  const where = eq(registrations.userId, userId);
  const [rows, [total]] = await Promise.all([
    db
      .select({ registration: registrations, event: events })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .where(where)
      .orderBy(desc(events.startsAt), desc(registrations.seq))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(registrations).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

/** Postgres "unique_violation", wherever the driver put it in the error chain. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
