import type { Event, EventQuestion, EventSummary, Locale, Registration } from '@sabor/contracts';
import type { EventAgendaItemRow, EventQuestionRow, EventRow, RegistrationRow } from '@sabor/db';
import { renderDocumentMarkdown } from '../../markdown';
import type { SeatCounts } from './repository';
import type { Signer } from '../../signer';
import { ticketCode, ticketQrDataUrl } from './ticket';

export function seatsLeft(event: EventRow, counts: SeatCounts): number | null {
  return event.capacity === null ? null : Math.max(0, event.capacity - counts.taken);
}

/** When registration closes: its own closing time, else the start of the event. */
export function registrationClosesAt(event: EventRow): Date {
  return event.registrationClosesAt ?? event.startsAt;
}

export function isRegistrationOpen(event: EventRow, now = new Date()): boolean {
  if (event.state !== 'published') return false;
  if (event.registrationOpensAt && now < event.registrationOpensAt) return false;
  return now < registrationClosesAt(event);
}

export function toEventSummary(
  event: EventRow,
  counts: SeatCounts,
  now = new Date(),
): EventSummary {
  return {
    id: event.id,
    type: event.type,
    state: event.state,
    titleBg: event.titleBg,
    titleEn: event.titleEn,
    venueBg: event.venueBg,
    venueEn: event.venueEn,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    capacity: event.capacity,
    seatsLeft: seatsLeft(event, counts),
    waitlisted: counts.waitlisted,
    registrationOpen: isRegistrationOpen(event, now),
    guestsAllowed: event.guestsAllowed,
  };
}

export function toQuestion(row: EventQuestionRow): EventQuestion {
  return {
    id: row.id,
    kind: row.kind,
    labelBg: row.labelBg,
    labelEn: row.labelEn,
    required: row.required,
    options: row.options,
  };
}

export function toEvent(
  event: EventRow,
  counts: SeatCounts,
  agenda: EventAgendaItemRow[],
  questions: EventQuestionRow[],
  viewerRegistration: Event['viewerRegistration'],
  lastEventId: number,
): Event {
  return {
    ...toEventSummary(event, counts),
    descriptionBg: event.descriptionBg,
    descriptionEn: event.descriptionEn,
    descriptionBgHtml: renderDocumentMarkdown(event.descriptionBg),
    descriptionEnHtml: event.descriptionEn ? renderDocumentMarkdown(event.descriptionEn) : null,
    addressBg: event.addressBg,
    addressEn: event.addressEn,
    onlineUrl: event.onlineUrl,
    registrationOpensAt: event.registrationOpensAt?.toISOString() ?? null,
    registrationClosesAt: event.registrationClosesAt?.toISOString() ?? null,
    cancelledReason: event.cancelledReason,
    agenda: agenda.map((item) => ({
      startsAt: item.startsAt.toISOString(),
      endsAt: item.endsAt?.toISOString() ?? null,
      titleBg: item.titleBg,
      titleEn: item.titleEn,
      speakers: item.speakers,
    })),
    questions: questions.map(toQuestion),
    publishedAt: event.publishedAt?.toISOString() ?? null,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
    viewerRegistration,
    lastEventId,
  };
}

export async function toRegistration(
  row: RegistrationRow,
  event: EventRow,
  counts: SeatCounts,
  signer: Signer,
  waitlistPosition: number | null,
): Promise<Registration> {
  const ticket =
    row.status === 'confirmed' && event.state !== 'cancelled'
      ? await ticketOf(signer, row.ticketId)
      : null;
  return {
    id: row.id,
    status: row.status,
    name: row.name,
    email: row.email,
    waitlistPosition: row.status === 'waitlisted' ? waitlistPosition : null,
    confirmBy: row.status === 'cancelled' ? null : (row.confirmBy?.toISOString() ?? null),
    emailConfirmed: row.emailConfirmedAt !== null,
    createdAt: row.createdAt.toISOString(),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    ticket,
    event: toEventSummary(event, counts),
  };
}

async function ticketOf(signer: Signer, ticketId: string) {
  const code = ticketCode(signer, ticketId);
  return { code, qrDataUrl: await ticketQrDataUrl(code) };
}

/** The event's title, venue and address in a language (Bulgarian when there is no English). */
export function localized(event: EventRow, locale: Locale) {
  const en = locale === 'en';
  return {
    title: (en && event.titleEn) || event.titleBg,
    venue: (en && event.venueEn) || event.venueBg,
    address: (en && event.addressEn) || event.addressBg,
    description: (en && event.descriptionEn) || event.descriptionBg,
  };
}
