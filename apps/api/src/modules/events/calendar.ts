import type { Locale } from '@sabor/contracts';
import type { EventRow } from '@sabor/db';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { localized } from './view';

export interface CalendarSite {
  publicOrigin: string;
  siteName: string;
}

/** A stable UID per event, so a calendar replaces its copy when a changed .ics arrives. */
function uid(event: EventRow, site: CalendarSite): string {
  return `event-${event.id}@${new URL(site.publicOrigin).hostname}`;
}

/**
 * An iCalendar file (RFC 5545) of events. Times are written in UTC (`…Z`), which every calendar
 * shows in its own zone; the mails and pages name the Europe/Sofia wall time. A cancelled event is
 * STATUS:CANCELLED, so calendars that imported it strike it out.
 */
export function eventsCalendar(
  rows: EventRow[],
  locale: Locale,
  site: CalendarSite,
  options: { name: string; method?: 'publish' } = { name: site.siteName },
): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Sabor', product: 'events', language: locale.toUpperCase() },
    ...(options.method && { method: ICalCalendarMethod.PUBLISH }),
  });
  for (const event of rows) {
    const text = localized(event, locale);
    calendar.createEvent({
      id: uid(event, site),
      sequence: event.sequence,
      start: event.startsAt,
      end: event.endsAt,
      stamp: event.updatedAt,
      summary: text.title,
      description: text.description,
      location: `${text.venue}, ${text.address}`,
      url: `${site.publicOrigin}/events/${event.id}`,
      status: event.state === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

/** An ASCII file name for Content-Disposition. */
export function calendarFileName(event: EventRow): string {
  return `event-${event.startsAt.toISOString().slice(0, 10)}-${event.id.slice(0, 8)}.ics`;
}
