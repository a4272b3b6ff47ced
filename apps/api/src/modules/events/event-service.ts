import {
  eventTopic,
  type AdminEventListQuery,
  type CreateEventBody,
  type Event,
  type EventList,
  type EventListQuery,
  type UpdateEventBody,
} from '@sabor/contracts';
import {
  eventAgendaItems,
  eventQuestions,
  events,
  registrations,
  type EventRow,
  type Executor,
} from '@sabor/db';
import { count, eq, sql } from 'drizzle-orm';
import { ApiError, notFound, type FieldProblem } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { publishLiveEvent } from '../../live/outbox';
import { recordAudit } from '../audit/record';
import { latestEventId } from '../../live/outbox';
import { queueRegistrationMail } from './mails';
import { promoteWaitlist, publishSeats, type EventDeps } from './registration-service';
import * as repository from './repository';
import { toEvent, toEventSummary } from './view';

const invalidState = () => new ApiError(409, 'event_invalid_state');

type EventFields = Omit<CreateEventBody, 'agenda' | 'questions'>;

/** Times that must follow each other; every problem is reported on its field. */
function checkTimes(fields: EventFields, agenda: CreateEventBody['agenda']): void {
  const problems: Record<string, FieldProblem> = {};
  const time = (value: string | null | undefined) => (value ? new Date(value).getTime() : null);
  if (time(fields.endsAt)! <= time(fields.startsAt)!)
    problems.endsAt = { code: 'ends_before_starts' };
  const opens = time(fields.registrationOpensAt);
  const closes = time(fields.registrationClosesAt);
  if (opens !== null && closes !== null && closes <= opens) {
    problems.registrationClosesAt = { code: 'closes_before_opens' };
  }
  agenda?.forEach((item, index) => {
    const end = time(item.endsAt);
    if (end !== null && end <= time(item.startsAt)!) {
      problems[`agenda.${index}.endsAt`] = { code: 'ends_before_starts' };
    }
  });
  if (Object.keys(problems).length > 0) throw new ApiError(400, 'validation_failed', problems);
}

function columnsOf(fields: Partial<EventFields>) {
  const date = (value: string | null | undefined) =>
    value === undefined ? undefined : value === null ? null : new Date(value);
  const columns = {
    type: fields.type,
    titleBg: fields.titleBg,
    titleEn: fields.titleEn,
    descriptionBg: fields.descriptionBg,
    descriptionEn: fields.descriptionEn,
    venueBg: fields.venueBg,
    venueEn: fields.venueEn,
    addressBg: fields.addressBg,
    addressEn: fields.addressEn,
    onlineUrl: fields.onlineUrl,
    startsAt: date(fields.startsAt) ?? undefined,
    endsAt: date(fields.endsAt) ?? undefined,
    capacity: fields.capacity,
    registrationOpensAt: date(fields.registrationOpensAt),
    registrationClosesAt: date(fields.registrationClosesAt),
    guestsAllowed: fields.guestsAllowed,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}

async function replaceAgenda(tx: Executor, eventId: string, agenda: CreateEventBody['agenda']) {
  await tx.delete(eventAgendaItems).where(eq(eventAgendaItems.eventId, eventId));
  if (!agenda?.length) return;
  await tx.insert(eventAgendaItems).values(
    agenda.map((item, position) => ({
      eventId,
      position,
      startsAt: new Date(item.startsAt),
      endsAt: item.endsAt ? new Date(item.endsAt) : null,
      titleBg: item.titleBg,
      titleEn: item.titleEn ?? null,
      speakers: item.speakers ?? null,
    })),
  );
}

async function replaceQuestions(
  tx: Executor,
  eventId: string,
  questions: CreateEventBody['questions'],
) {
  await tx.delete(eventQuestions).where(eq(eventQuestions.eventId, eventId));
  if (!questions?.length) return;
  await tx.insert(eventQuestions).values(
    questions.map((question, position) => ({
      eventId,
      position,
      kind: question.kind,
      labelBg: question.labelBg,
      labelEn: question.labelEn ?? null,
      // A consent one can skip is no consent.
      required: question.kind === 'consent' || (question.required ?? false),
      options:
        question.kind === 'choice'
          ? (question.options ?? []).map((option, index) => ({
              key: String(index + 1),
              labelBg: option.labelBg,
              labelEn: option.labelEn ?? null,
            }))
          : [],
    })),
  );
}

async function fullEvent(
  db: Executor,
  event: EventRow,
  viewerId: string | null = null,
): Promise<Event> {
  // Taken before the counts are read, so no change after the read can be missed by a subscriber.
  const lastEventId = await latestEventId(db);
  const [counts, agenda, questions] = await Promise.all([
    repository.seatCounts(db, event.id),
    repository.listAgenda(db, event.id),
    repository.listQuestions(db, event.id),
  ]);
  let viewerRegistration: Event['viewerRegistration'] = null;
  if (viewerId) {
    const [mine] = await db
      .select({ id: registrations.id, status: registrations.status })
      .from(registrations)
      .where(
        sql`${registrations.eventId} = ${event.id} and ${registrations.userId} = ${viewerId} and ${registrations.status} <> 'cancelled'`,
      );
    viewerRegistration = mine ?? null;
  }
  return toEvent(event, counts, agenda, questions, viewerRegistration, lastEventId);
}

export async function createEvent(
  deps: EventDeps,
  actorId: string,
  input: CreateEventBody,
  claim: IdempotencyClaim | null = null,
): Promise<Event> {
  const { agenda, questions, ...fields } = input;
  checkTimes(fields, agenda);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(events)
      .values({ ...(columnsOf(fields) as typeof events.$inferInsert), createdBy: actorId })
      .returning();
    if (!row) throw new Error('event insert returned no row');
    await markIdempotentWrite(tx, claim, row.id);
    await replaceAgenda(tx, row.id, agenda);
    await replaceQuestions(tx, row.id, questions);
    return fullEvent(tx, row);
  });
}

const timeOrPlace = [
  'startsAt',
  'endsAt',
  'venueBg',
  'venueEn',
  'addressBg',
  'addressEn',
  'onlineUrl',
] as const;

/**
 * Edits an event. A change of time or place of a published event raises its calendar SEQUENCE and
 * mails everyone registered (confirmed, pending and waitlisted) with an updated .ics; more seats
 * promote the waitlist at once. Fewer seats than already taken cancel nobody: the event is then
 * simply full.
 */
export async function updateEvent(
  deps: EventDeps,
  actorId: string,
  id: string,
  input: UpdateEventBody,
): Promise<Event> {
  const result = await deps.db.transaction(async (tx) => {
    const current = await repository.lockEvent(tx, id);
    if (!current) throw notFound();
    if (current.state === 'cancelled') throw invalidState();
    const { agenda, questions, ...fields } = input;
    const merged: EventFields = {
      type: current.type,
      titleBg: current.titleBg,
      descriptionBg: current.descriptionBg,
      venueBg: current.venueBg,
      addressBg: current.addressBg,
      capacity: current.capacity,
      startsAt: current.startsAt.toISOString(),
      endsAt: current.endsAt.toISOString(),
      registrationOpensAt: current.registrationOpensAt?.toISOString() ?? null,
      registrationClosesAt: current.registrationClosesAt?.toISOString() ?? null,
      ...fields,
    };
    checkTimes(merged, agenda);
    if (questions !== undefined) {
      const [taken] = await tx
        .select({ value: count() })
        .from(registrations)
        .where(eq(registrations.eventId, id));
      if ((taken?.value ?? 0) > 0) throw new ApiError(409, 'event_questions_locked');
      await replaceQuestions(tx, id, questions);
    }
    if (agenda !== undefined) await replaceAgenda(tx, id, agenda);
    const before = JSON.stringify(timeOrPlace.map((key) => current[key]));
    const [updated] = await tx
      .update(events)
      .set({ ...columnsOf(fields), updatedAt: sql`now()` })
      .where(eq(events.id, id))
      .returning();
    if (!updated) throw notFound();
    const moved =
      updated.state === 'published' &&
      before !== JSON.stringify(timeOrPlace.map((key) => updated[key]));
    let event = updated;
    if (moved) {
      const [raised] = await tx
        .update(events)
        .set({ sequence: sql`${events.sequence} + 1` })
        .where(eq(events.id, id))
        .returning();
      event = raised ?? updated;
      for (const registration of await repository.activeRegistrations(tx, id)) {
        await queueRegistrationMail(tx, deps, 'changed', event, registration);
      }
    }
    await recordAudit(tx, {
      actorId,
      action: 'event.updated',
      targetType: 'event',
      targetId: id,
      details: { fields: Object.keys(input), notified: moved },
    });
    await promoteWaitlist(tx, deps, event);
    const view = await fullEvent(tx, event);
    if (event.state === 'published') {
      if (moved)
        await publishLiveEvent(tx, eventTopic(id), { type: 'event_changed', state: event.state });
      await publishSeats(tx, event);
    }
    return view;
  });
  deps.onMailQueued?.();
  return result;
}

export async function publishEvent(deps: EventDeps, actorId: string, id: string): Promise<Event> {
  return deps.db.transaction(async (tx) => {
    const current = await repository.lockEvent(tx, id);
    if (!current) throw notFound();
    if (current.state !== 'draft') throw invalidState();
    const [updated] = await tx
      .update(events)
      .set({ state: 'published', publishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(events.id, id))
      .returning();
    if (!updated) throw notFound();
    await recordAudit(tx, {
      actorId,
      action: 'event.published',
      targetType: 'event',
      targetId: id,
    });
    const view = await fullEvent(tx, updated);
    await publishLiveEvent(tx, eventTopic(id), { type: 'event_changed', state: 'published' });
    return view;
  });
}

/** Cancels a published event: everyone registered (confirmed, pending, waitlisted) gets a mail. */
export async function cancelEvent(
  deps: EventDeps,
  actorId: string,
  id: string,
  reason: string,
): Promise<Event> {
  const result = await deps.db.transaction(async (tx) => {
    const current = await repository.lockEvent(tx, id);
    if (!current) throw notFound();
    if (current.state !== 'published') throw invalidState();
    const [updated] = await tx
      .update(events)
      .set({
        state: 'cancelled',
        cancelledReason: reason,
        sequence: sql`${events.sequence} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(events.id, id))
      .returning();
    if (!updated) throw notFound();
    for (const registration of await repository.activeRegistrations(tx, id)) {
      await queueRegistrationMail(tx, deps, 'event_cancelled', updated, registration, { reason });
    }
    await recordAudit(tx, {
      actorId,
      action: 'event.cancelled',
      targetType: 'event',
      targetId: id,
      reason,
    });
    const view = await fullEvent(tx, updated);
    await publishLiveEvent(tx, eventTopic(id), { type: 'event_changed', state: 'cancelled' });
    return view;
  });
  deps.onMailQueued?.();
  return result;
}

/** One event; drafts only for admins (404 for everyone else). */
export async function getEvent(
  deps: EventDeps,
  id: string,
  viewer: { id: string | null; isAdmin: boolean },
): Promise<Event> {
  const event = await repository.findEvent(deps.db, id);
  if (!event || (event.state === 'draft' && !viewer.isAdmin)) throw notFound();
  return fullEvent(deps.db, event, viewer.id);
}

async function pageOfEvents(
  deps: EventDeps,
  filter: repository.EventListFilter,
): Promise<EventList> {
  const lastEventId = await latestEventId(deps.db);
  const { rows, total } = await repository.listEvents(deps.db, filter);
  const counts = await repository.seatCountsOf(
    deps.db,
    rows.map((row) => row.id),
  );
  const now = new Date();
  return {
    items: rows.map((row) =>
      toEventSummary(row, counts.get(row.id) ?? { taken: 0, waitlisted: 0 }, now),
    ),
    page: filter.page,
    pageSize: filter.pageSize,
    total,
    lastEventId,
  };
}

/** Public list: published and cancelled events, upcoming (soonest first) or past (newest first). */
export function listPublicEvents(deps: EventDeps, query: EventListQuery): Promise<EventList> {
  return pageOfEvents(deps, { states: ['published', 'cancelled'], ...query });
}

export function listAllEvents(deps: EventDeps, query: AdminEventListQuery): Promise<EventList> {
  return pageOfEvents(deps, {
    states: query.state ? [query.state] : ['draft', 'published', 'cancelled'],
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** The public events for the calendar feed: published and cancelled, newest 500. */
export async function calendarEvents(deps: EventDeps): Promise<EventRow[]> {
  const { rows } = await repository.listEvents(deps.db, {
    states: ['published', 'cancelled'],
    page: 1,
    pageSize: 500,
  });
  return rows;
}

/** A public event's row for its own .ics. */
export async function publicEventRow(deps: EventDeps, id: string): Promise<EventRow> {
  const event = await repository.findEvent(deps.db, id);
  if (!event || event.state === 'draft') throw notFound();
  return event;
}
