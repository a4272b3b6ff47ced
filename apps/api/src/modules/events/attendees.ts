import type {
  Attendee,
  AttendeeList,
  AttendeeListQuery,
  CheckInResult,
  Locale,
  RegistrationStatus,
} from '@sabor/contracts';
import { registrations, type EventQuestionRow, type RegistrationRow } from '@sabor/db';
import { stringify } from 'csv-stringify/sync';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import { sofiaStamp } from '../report/format';
import type { EventDeps } from './registration-service';
import * as repository from './repository';
import { parseTicketCode } from './ticket';
import { toQuestion } from './view';

/** A refused check-in of a known ticket of the event: the error and whose ticket it is. */
export class CheckInRefusedError extends ApiError {
  constructor(
    code: 'ticket_cancelled' | 'ticket_not_confirmed' | 'ticket_already_used',
    row: RegistrationRow,
  ) {
    super(409, code);
    this.attendee = {
      name: row.name,
      status: row.status,
      checkedInAt: row.checkedInAt?.toISOString() ?? null,
    };
  }
  readonly attendee: {
    name: string | null;
    status: RegistrationStatus;
    checkedInAt: string | null;
  };
}

function toAttendee(row: RegistrationRow): Attendee {
  return {
    id: row.id,
    number: row.seq,
    name: row.name,
    email: row.email,
    hasAccount: row.userId !== null,
    status: row.status,
    answers: row.answers,
    createdAt: row.createdAt.toISOString(),
    confirmBy: row.confirmBy?.toISOString() ?? null,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
  };
}

async function eventOrNotFound(deps: EventDeps, eventId: string) {
  const event = await repository.findEvent(deps.db, eventId);
  if (!event) throw notFound();
  return event;
}

/** The staff's attendee list: search by name or email, filter by status, in arrival order. */
export async function listAttendees(
  deps: EventDeps,
  eventId: string,
  query: AttendeeListQuery,
): Promise<AttendeeList> {
  await eventOrNotFound(deps, eventId);
  const [{ rows, total }, counts, questions] = await Promise.all([
    repository.listRegistrations(deps.db, eventId, query),
    repository.registrationCounts(deps.db, eventId),
    repository.listQuestions(deps.db, eventId),
  ]);
  return {
    items: rows.map(toAttendee),
    page: query.page,
    pageSize: query.pageSize,
    total,
    counts,
    questions: questions.map(toQuestion),
  };
}

const statusLabels: Record<RegistrationStatus, Record<Locale, string>> = {
  confirmed: { bg: 'потвърдена', en: 'confirmed' },
  pending_confirmation: { bg: 'чака потвърждение', en: 'awaiting confirmation' },
  waitlisted: { bg: 'в списъка с чакащи', en: 'waitlisted' },
  cancelled: { bg: 'отменена', en: 'cancelled' },
};

const csvHeaders: Record<Locale, string[]> = {
  bg: ['№', 'Име', 'Имейл', 'Профил', 'Статус', 'Регистрация', 'Влязъл', 'ID'],
  en: ['No.', 'Name', 'Email', 'Account', 'Status', 'Registered', 'Checked in', 'ID'],
};

function answerText(
  question: EventQuestionRow,
  answer: string | boolean | undefined,
  locale: Locale,
) {
  if (answer === undefined) return '';
  if (typeof answer === 'boolean') return answer ? (locale === 'bg' ? 'да' : 'yes') : '';
  if (question.kind === 'choice') {
    const option = question.options.find((o) => o.key === answer);
    return option ? (locale === 'en' && option.labelEn) || option.labelBg : answer;
  }
  return answer;
}

/**
 * The attendee list as CSV (RFC 4180, CRLF), UTF-8 with a byte order mark for spreadsheets, one
 * column per custom question, times in Europe/Sofia; texts that a spreadsheet would run as a
 * formula get a leading `'`.
 */
export async function attendeesCsv(
  deps: EventDeps,
  eventId: string,
  query: Pick<AttendeeListQuery, 'status' | 'q'>,
  locale: Locale,
): Promise<string> {
  await eventOrNotFound(deps, eventId);
  const [{ rows }, questions] = await Promise.all([
    repository.listRegistrations(deps.db, eventId, query),
    repository.listQuestions(deps.db, eventId),
  ]);
  const yes = locale === 'bg' ? 'да' : 'yes';
  return stringify(
    rows.map((row) => [
      row.seq,
      row.name ?? '',
      row.email ?? '',
      row.userId ? yes : '',
      statusLabels[row.status][locale],
      sofiaStamp(row.createdAt.toISOString()),
      row.checkedInAt ? sofiaStamp(row.checkedInAt.toISOString()) : '',
      row.id,
      ...questions.map((q) => answerText(q, row.answers[q.id], locale)),
    ]),
    {
      bom: true,
      header: true,
      columns: [
        ...csvHeaders[locale],
        ...questions.map((q) => (locale === 'en' && q.labelEn) || q.labelBg),
      ],
      record_delimiter: 'windows',
      quote_record_delimiter: true,
      escape_formulas: true,
    },
  );
}

/**
 * Checks a ticket in at the door. Refuses a malformed, forged or altered code (`ticket_invalid`),
 * an unknown one, one for another event, a cancelled or unconfirmed registration, and a ticket
 * already used. Several staff may scan at once: the check-in is one conditional UPDATE, so of two
 * concurrent scans of one ticket exactly one succeeds and the other is `ticket_already_used`.
 */
export async function checkIn(
  deps: EventDeps,
  staffId: string,
  eventId: string,
  code: string,
): Promise<CheckInResult> {
  const event = await eventOrNotFound(deps, eventId);
  const ticketId = parseTicketCode(deps.signer, code);
  if (!ticketId) throw new ApiError(400, 'ticket_invalid');
  const [row] = await deps.db
    .select()
    .from(registrations)
    .where(eq(registrations.ticketId, ticketId));
  if (!row) throw new ApiError(404, 'ticket_unknown');
  if (row.eventId !== eventId) throw new ApiError(409, 'ticket_other_event');
  if (event.state === 'cancelled') throw new ApiError(409, 'event_cancelled');
  if (row.status === 'cancelled') throw new CheckInRefusedError('ticket_cancelled', row);
  if (row.status !== 'confirmed') throw new CheckInRefusedError('ticket_not_confirmed', row);
  const [updated] = await deps.db
    .update(registrations)
    .set({ checkedInAt: sql`now()`, checkedInBy: staffId, updatedAt: sql`now()` })
    .where(
      and(
        eq(registrations.id, row.id),
        eq(registrations.status, 'confirmed'),
        isNull(registrations.checkedInAt),
      ),
    )
    .returning();
  if (!updated?.checkedInAt) {
    const [now] = await deps.db.select().from(registrations).where(eq(registrations.id, row.id));
    const current = now ?? row;
    throw new CheckInRefusedError(
      current.status === 'cancelled' ? 'ticket_cancelled' : 'ticket_already_used',
      current,
    );
  }
  return {
    registrationId: updated.id,
    name: updated.name,
    status: updated.status,
    checkedInAt: updated.checkedInAt.toISOString(),
  };
}
