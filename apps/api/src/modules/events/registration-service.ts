import {
  eventTopic,
  guestConfirmationHours,
  type EventRegistrationBody,
  type Locale,
  type Registration,
  type RegistrationList,
  type RegistrationStatus,
} from '@sabor/contracts';
import {
  registrations,
  type Database,
  type EventRow,
  type Executor,
  type RegistrationRow,
} from '@sabor/db';
import { and, eq, ne, sql } from 'drizzle-orm';
import { ApiError, notFound, type FieldProblem } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { publishLiveEvent } from '../../live/outbox';
import { storeMail } from '../mail/outbox';
import { drawRegistrationMail, queueRegistrationMail, type EventMailContext } from './mails';
import { checkAnswers } from './answers';
import * as repository from './repository';
import { newTicketId, ticketCode, ticketQrPng, verifyRegistrationToken } from './ticket';
import { isRegistrationOpen, seatsLeft, toRegistration } from './view';

export interface EventDeps extends EventMailContext {
  db: Database;
  /** Called after a transaction that queued mail has committed. */
  onMailQueued?: () => void;
}

export interface Registrant {
  /** Null for a guest. */
  user: { id: string; email: string; displayName: string } | null;
  /** The language of the page they registered from: their mails come in it. */
  locale: Locale;
}

/** A second registration of the same person; carries the first one's id (for its owner) and status. */
export class AlreadyRegisteredError extends ApiError {
  constructor(
    readonly registration: { id: string | null; status: RegistrationStatus } | undefined,
  ) {
    super(409, 'already_registered');
  }
}

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;

/** A guest's deadline to confirm: 24 h from now, but never after the event starts. */
export function confirmationDeadline(event: EventRow, now = new Date()): Date {
  const deadline = new Date(now.getTime() + guestConfirmationHours * hourMs);
  return deadline < event.startsAt ? deadline : event.startsAt;
}

/** A registration confirmed within a day of the start needs no reminder: its ticket mail is one. */
function remindedAtFor(event: EventRow, now = new Date()): Date | null {
  return event.startsAt.getTime() - now.getTime() <= dayMs ? now : null;
}

/**
 * Publishes the event's public seat count on `event:<id>`. It must be the transaction's last
 * statement (see publishLiveEvent), after every change to the event's registrations.
 */
export async function publishSeats(
  tx: Executor,
  event: EventRow,
  known?: repository.SeatCounts,
): Promise<void> {
  const counts = known ?? (await repository.seatCounts(tx, event.id));
  await publishLiveEvent(tx, eventTopic(event.id), {
    type: 'seats_changed',
    seatsLeft: seatsLeft(event, counts),
    waitlisted: counts.waitlisted,
  });
}

/**
 * Gives free seats to the waitlist, first come first served, while the caller holds the event's
 * lock: a confirmed email gets the seat (and a ticket mail), an unconfirmed guest gets it as
 * pending with a fresh deadline. Nothing once the event has started. Returns how many were promoted.
 */
export async function promoteWaitlist(
  tx: Executor,
  ctx: EventMailContext,
  event: EventRow,
): Promise<number> {
  // Once the event has started a freed seat stays free: nobody is mailed to come mid-way.
  if (event.state !== 'published' || event.startsAt.getTime() <= Date.now()) return 0;
  let promoted = 0;
  for (;;) {
    if (event.capacity !== null) {
      const counts = await repository.seatCounts(tx, event.id);
      if (counts.taken >= event.capacity) break;
    }
    const next = await repository.firstWaitlisted(tx, event.id);
    if (!next) break;
    const now = new Date();
    const confirmed = next.emailConfirmedAt !== null;
    const [row] = await tx
      .update(registrations)
      .set({
        status: confirmed ? 'confirmed' : 'pending_confirmation',
        confirmBy: confirmed ? null : confirmationDeadline(event, now),
        remindedAt: confirmed ? remindedAtFor(event, now) : null,
        updatedAt: sql`now()`,
      })
      .where(eq(registrations.id, next.id))
      .returning();
    if (!row) break;
    await queueRegistrationMail(tx, ctx, confirmed ? 'promoted' : 'pending', event, row);
    promoted += 1;
  }
  return promoted;
}

async function view(db: Executor, deps: EventDeps, row: RegistrationRow, event: EventRow) {
  const counts = await repository.seatCounts(db, event.id);
  const position = row.status === 'waitlisted' ? await repository.waitlistPosition(db, row) : null;
  return toRegistration(row, event, counts, deps.signer, position);
}

/**
 * Refuses a registration for an event that is missing, a draft, cancelled or closed, or that takes
 * residents only when the registrant is a guest. Returns the event.
 */
function refuseClosed(event: EventRow | undefined, registrant: Registrant, now: Date): EventRow {
  if (!event || event.state === 'draft') throw notFound();
  if (event.state === 'cancelled') throw new ApiError(409, 'event_cancelled');
  if (!isRegistrationOpen(event, now)) throw new ApiError(409, 'event_registration_closed');
  if (!registrant.user && !event.guestsAllowed) throw new ApiError(401, 'event_sign_in_required');
  return event;
}

/** Refuses a second active registration of the same account or email (409 already_registered). */
async function refuseSecondRegistration(
  db: Executor,
  eventId: string,
  user: Registrant['user'],
  email: string,
): Promise<void> {
  const existing = await repository.findActiveRegistration(db, eventId, {
    userId: user?.id ?? null,
    email,
  });
  if (!existing) return;
  const mine = user !== null && existing.userId === user.id;
  throw new AlreadyRegisteredError({ id: mine ? existing.id : null, status: existing.status });
}

/**
 * Whether a mail drawn from `before` still says what one drawn from `after` would: every change of
 * an event that its mails show moves its `updatedAt` or `sequence`.
 */
function sameForMails(before: EventRow, after: EventRow): boolean {
  return (
    before.updatedAt.getTime() === after.updatedAt.getTime() && before.sequence === after.sequence
  );
}

/**
 * Registers a resident (confirmed at once) or a guest (pending until the mailed link is opened).
 * The event row is locked for the decision, so concurrent registrations take seats one at a time:
 * capacity is never exceeded and the waitlist is in arrival order. A second registration of the
 * same account or email is refused with 409 `already_registered` (and the unique index refuses it
 * even if this check were bypassed).
 */
export async function register(
  deps: EventDeps,
  eventId: string,
  registrant: Registrant,
  body: EventRegistrationBody,
  claim: IdempotencyClaim | null = null,
): Promise<Registration> {
  const { user } = registrant;
  const now = new Date();
  // Everything that does not depend on the seats is done before the event's lock is taken, because
  // every other registration of the event waits for that lock: the answers and duplicate checks
  // (the unique index has the last word), the ticket and its QR image, and the mail for the usual
  // outcome (a seat), drawn from the event as read now. Under the lock that mail is used only if
  // the event is unchanged and there is a seat; otherwise the mail is drawn there.
  const seen = refuseClosed(await repository.findEvent(deps.db, eventId), registrant, now);
  if (!user && (!body.name || !body.email)) {
    const missing: Record<string, FieldProblem> = {};
    if (!body.name) missing.name = { code: 'required' };
    if (!body.email) missing.email = { code: 'required' };
    throw new ApiError(400, 'validation_failed', missing);
  }
  const answers = checkAnswers(await repository.listQuestions(deps.db, eventId), body.answers);
  const email = user ? user.email.toLowerCase() : body.email!;
  await refuseSecondRegistration(deps.db, eventId, user, email);
  const draft = {
    id: crypto.randomUUID(),
    userId: user?.id ?? null,
    name: user ? user.displayName : body.name!,
    email,
    locale: registrant.locale,
    ticketId: newTicketId(),
    emailConfirmedAt: user ? now : null,
  };
  const qrPng = user ? await ticketQrPng(ticketCode(deps.signer, draft.ticketId)) : undefined;
  const seatKind = user ? 'confirmed' : 'pending';
  const seatMail = await drawRegistrationMail(
    deps,
    seatKind,
    seen,
    { ...draft, confirmBy: user ? null : confirmationDeadline(seen, now) },
    { qrPng },
  );
  let decided: {
    row: RegistrationRow;
    event: EventRow;
    counts: repository.SeatCounts;
    position: number | null;
  };
  try {
    decided = await deps.db.transaction(async (tx) => {
      const event = refuseClosed(await repository.lockEvent(tx, eventId), registrant, now);
      const counts = await repository.seatCounts(tx, eventId);
      const hasSeat = event.capacity === null || counts.taken < event.capacity;
      const status: RegistrationStatus = !hasSeat
        ? 'waitlisted'
        : user
          ? 'confirmed'
          : 'pending_confirmation';
      const [row] = await tx
        .insert(registrations)
        .values({
          ...draft,
          eventId,
          status,
          confirmBy: user ? null : confirmationDeadline(event, now),
          remindedAt: status === 'confirmed' ? remindedAtFor(event, now) : null,
          answers,
        })
        .returning();
      if (!row) throw new Error('registration insert returned no row');
      await markIdempotentWrite(tx, claim, row.id);
      const position = status === 'waitlisted' ? counts.waitlisted + 1 : null;
      const kind = status === 'waitlisted' ? 'waitlisted' : seatKind;
      const mail =
        kind === seatKind && sameForMails(seen, event)
          ? seatMail
          : await drawRegistrationMail(deps, kind, event, row, {
              waitlistPosition: position,
              qrPng,
            });
      if (mail) await storeMail(tx, mail);
      const after = {
        taken: counts.taken + (hasSeat ? 1 : 0),
        waitlisted: counts.waitlisted + (hasSeat ? 0 : 1),
      };
      await publishSeats(tx, event, after);
      return { row, event, counts: after, position };
    });
  } catch (error) {
    // A second registration that arrived while the first was being written (a double click, two
    // tabs): the unique index has the last word, and the first one is there to point to now.
    if (repository.isUniqueViolation(error)) {
      await refuseSecondRegistration(deps.db, eventId, user, email);
      throw new AlreadyRegisteredError(undefined);
    }
    throw error;
  }
  deps.onMailQueued?.();
  return toRegistration(decided.row, decided.event, decided.counts, deps.signer, decided.position);
}

/**
 * Cancels a registration (by its owner, by token or by staff): frees its seat and, in the same
 * transaction, promotes the first on the waitlist. Cancelling twice is harmless.
 */
export async function cancelRegistration(
  deps: EventDeps,
  registrationId: string,
  allowed: (row: RegistrationRow) => boolean,
): Promise<Registration> {
  const result = await deps.db.transaction(async (tx) => {
    const found = await repository.findRegistration(tx, registrationId);
    if (!found || !allowed(found)) throw notFound();
    const event = await repository.lockEvent(tx, found.eventId);
    if (!event) throw notFound();
    const [row] = await tx
      .update(registrations)
      .set({
        status: 'cancelled',
        cancelledAt: sql`now()`,
        cancelReason: 'attendee',
        updatedAt: sql`now()`,
      })
      .where(and(eq(registrations.id, registrationId), ne(registrations.status, 'cancelled')))
      .returning();
    if (!row) return view(tx, deps, found, event);
    await queueRegistrationMail(tx, deps, 'cancelled', event, row);
    await promoteWaitlist(tx, deps, event);
    const registration = await view(tx, deps, row, event);
    await publishSeats(tx, event);
    return registration;
  });
  deps.onMailQueued?.();
  return result;
}

/**
 * Confirms a guest's email through the mailed link: a pending registration becomes confirmed (and
 * gets its ticket); a waitlisted one stays waitlisted but will be confirmed at once when promoted.
 * Confirming again changes nothing; a lapsed registration answers 409 `registration_cancelled`.
 */
export async function confirmByToken(
  deps: EventDeps,
  registrationId: string,
  token: string,
): Promise<Registration> {
  if (!verifyRegistrationToken(deps.signer, registrationId, token)) {
    throw new ApiError(404, 'token_invalid');
  }
  const result = await deps.db.transaction(async (tx) => {
    const found = await repository.findRegistration(tx, registrationId);
    if (!found) throw new ApiError(404, 'token_invalid');
    const event = await repository.lockEvent(tx, found.eventId);
    if (!event) throw notFound();
    const [row] = await tx
      .select()
      .from(registrations)
      .where(eq(registrations.id, registrationId))
      .for('update');
    if (!row) throw notFound();
    if (row.status === 'cancelled') throw new ApiError(409, 'registration_cancelled');
    if (row.emailConfirmedAt) return view(tx, deps, row, event);
    const now = new Date();
    const becomesConfirmed = row.status === 'pending_confirmation';
    const [updated] = await tx
      .update(registrations)
      .set({
        emailConfirmedAt: now,
        confirmBy: null,
        ...(becomesConfirmed && { status: 'confirmed', remindedAt: remindedAtFor(event, now) }),
        updatedAt: sql`now()`,
      })
      .where(eq(registrations.id, registrationId))
      .returning();
    if (!updated) throw notFound();
    if (becomesConfirmed) await queueRegistrationMail(tx, deps, 'confirmed', event, updated);
    const registration = await view(tx, deps, updated, event);
    if (becomesConfirmed) await publishSeats(tx, event);
    return registration;
  });
  deps.onMailQueued?.();
  return result;
}

/** A registration seen through its mailed link. */
export async function getByToken(
  deps: EventDeps,
  registrationId: string,
  token: string,
): Promise<Registration> {
  if (!verifyRegistrationToken(deps.signer, registrationId, token)) {
    throw new ApiError(404, 'token_invalid');
  }
  const row = await repository.findRegistration(deps.db, registrationId);
  const event = row && (await repository.findEvent(deps.db, row.eventId));
  if (!row || !event) throw new ApiError(404, 'token_invalid');
  return view(deps.db, deps, row, event);
}

export async function cancelByToken(
  deps: EventDeps,
  registrationId: string,
  token: string,
): Promise<Registration> {
  if (!verifyRegistrationToken(deps.signer, registrationId, token)) {
    throw new ApiError(404, 'token_invalid');
  }
  return cancelRegistration(deps, registrationId, () => true);
}

/**
 * A registration as registering answered, seats counted now (for a retry whose first attempt
 * committed: the key's scope already tied the retry to the registrant).
 */
export async function registrationById(
  deps: EventDeps,
  registrationId: string,
): Promise<Registration> {
  const row = await repository.findRegistration(deps.db, registrationId);
  const event = row && (await repository.findEvent(deps.db, row.eventId));
  if (!row || !event) throw notFound();
  return view(deps.db, deps, row, event);
}

/** One of the signed-in resident's registrations; anyone else's is 404. */
export async function getOwnRegistration(
  deps: EventDeps,
  userId: string,
  registrationId: string,
): Promise<Registration> {
  const row = await repository.findRegistration(deps.db, registrationId);
  const event = row && row.userId === userId && (await repository.findEvent(deps.db, row.eventId));
  if (!row || !event) throw notFound();
  return view(deps.db, deps, row, event);
}

export async function listOwnRegistrations(
  deps: EventDeps,
  userId: string,
  page: number,
  pageSize: number,
): Promise<RegistrationList> {
  const { rows, total } = await repository.registrationsOfUser(deps.db, userId, page, pageSize);
  const counts = await repository.seatCountsOf(
    deps.db,
    rows.map((r) => r.event.id),
  );
  const items = await Promise.all(
    rows.map(async ({ registration, event }) => {
      const position =
        registration.status === 'waitlisted'
          ? await repository.waitlistPosition(deps.db, registration)
          : null;
      return toRegistration(
        registration,
        event,
        counts.get(event.id) ?? { taken: 0, waitlisted: 0 },
        deps.signer,
        position,
      );
    }),
  );
  return { items, page, pageSize, total };
}
