import type { EventQuestion, EventSummary, Locale, RegistrationStatus } from '@sabor/contracts';
import { timeZone } from '@sabor/contracts/values';
import { formatter } from '$lib/i18n/format';

/*
 * Only types come from @sabor/contracts here: components import this module, and the contracts'
 * values would bring zod into the browser bundle.
 */

/** A bilingual text in `locale` and its language: the English one when there is one. */
export function pick(bg: string, en: string | null | undefined, locale: Locale) {
  if (locale === 'en' && en) return { text: en, lang: 'en' as const };
  return { text: bg, lang: 'bg' as const };
}

export const eventTitle = (event: Pick<EventSummary, 'titleBg' | 'titleEn'>, locale: Locale) =>
  pick(event.titleBg, event.titleEn, locale);

export const questionLabel = (
  question: Pick<EventQuestion, 'labelBg' | 'labelEn'>,
  locale: Locale,
) => pick(question.labelBg, question.labelEn, locale);

/** The calendar day in Sofia, as 2026-06-12. */
const sofiaDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' });
const sofiaDay = (instant: Date) => sofiaDayFormat.format(instant);

/**
 * When an event happens, in Sofia: "12 June 2026, 10:00 – 17:30" on one day, both dates and
 * times when it spans several.
 */
export function eventTimeRange(startsAt: string, endsAt: string, locale: Locale): string {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const full = formatter(locale, { dateStyle: 'long', timeStyle: 'short' });
  if (sofiaDay(start) !== sofiaDay(end)) return `${full.format(start)} – ${full.format(end)}`;
  return `${full.format(start)} – ${formatter(locale, { timeStyle: 'short' }).format(end)}`;
}

/** A time of day in Sofia ("10:30"), for programme items. */
export function sofiaTime(iso: string, locale: Locale): string {
  return formatter(locale, { timeStyle: 'short' }).format(new Date(iso));
}

/** What the seat counter says: unlimited, seats left, or full (with a waitlist). */
export type SeatState =
  { kind: 'unlimited' } | { kind: 'left'; count: number } | { kind: 'full'; waitlisted: number };

export function seatState(seatsLeft: number | null, waitlisted: number): SeatState {
  if (seatsLeft === null) return { kind: 'unlimited' };
  if (seatsLeft > 0) return { kind: 'left', count: seatsLeft };
  return { kind: 'full', waitlisted };
}

/** Registration statuses that still hold a place (or a place in the queue) and can be cancelled. */
export function cancellable(status: RegistrationStatus): boolean {
  return status !== 'cancelled';
}

/**
 * A ticket code as typed or scanned: upper case, without spaces or dashes, in groups of four
 * (the API ignores spacing and case as well; this only makes what staff see tidy).
 */
export function normalizeTicketCode(code: string): string {
  const plain = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return plain.match(/.{1,4}/g)?.join('-') ?? '';
}
