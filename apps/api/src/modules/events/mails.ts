import { eventTypeLabels, timeZone, type Locale } from '@sabor/contracts';
import type { EventRow, Executor, OutboxAttachment, RegistrationRow } from '@sabor/db';
import { renderOutboxMail, storeMail, type RenderedMail } from '../mail/outbox';
import { action, p, type MailBlock, type MailContent } from '../mail/render';
import { eventsCalendar } from './calendar';
import type { Signer } from '../../signer';
import { registrationToken, ticketCode, ticketQrPng } from './ticket';
import { localized } from './view';

export interface EventMailContext {
  signer: Signer;
  publicOrigin: string;
  siteName: Record<Locale, string>;
}

export type RegistrationMailKind =
  | 'pending'
  | 'confirmed'
  | 'promoted'
  | 'waitlisted'
  | 'changed'
  | 'event_cancelled'
  | 'reminder'
  | 'cancelled'
  | 'expired';

const intlLocale: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

/** `петък, 15 май 2026 г., 10:00` / `Friday 15 May 2026, 10:00` in Sofia. */
export function sofiaDateTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(date);
}

function sofiaTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { timeZone, timeStyle: 'short' }).format(date);
}

const sameSofiaDay = (a: Date, b: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(a) ===
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(b);

/** The event's time span as people read it, in Sofia time. */
export function eventWhen(event: EventRow, locale: Locale): string {
  const start = sofiaDateTime(event.startsAt, locale);
  const end = sameSofiaDay(event.startsAt, event.endsAt)
    ? sofiaTime(event.endsAt, locale)
    : sofiaDateTime(event.endsAt, locale);
  const zone = locale === 'bg' ? 'българско време' : 'Bulgarian time';
  return `${start} – ${end} (${zone})`;
}

const labels = {
  bg: {
    event: 'Събитие',
    type: 'Вид',
    when: 'Кога',
    where: 'Къде',
    online: 'Онлайн',
    code: 'Код на билета',
  },
  en: {
    event: 'Event',
    type: 'Type',
    when: 'When',
    where: 'Where',
    online: 'Online',
    code: 'Ticket code',
  },
} satisfies Record<Locale, Record<string, string>>;

function details(event: EventRow, locale: Locale): MailBlock {
  const text = localized(event, locale);
  const words = labels[locale];
  const rows: [string, string][] = [
    [words.event, text.title],
    [words.type, eventTypeLabels[event.type][locale]],
    [words.when, eventWhen(event, locale)],
    [words.where, `${text.venue}\n${text.address}`],
  ];
  if (event.onlineUrl) rows.push([words.online, event.onlineUrl]);
  return { kind: 'details', rows };
}

interface Parts {
  event: EventRow;
  registration: RegistrationMailFields;
  locale: Locale;
  manageUrl: string;
  confirmUrl: string;
  code: string;
  reason: string | null;
  waitlistPosition: number | null;
}

function ticketBlocks(parts: Parts): MailBlock[] {
  const bg = parts.locale === 'bg';
  return [
    p(
      bg
        ? 'Покажете този код (или QR кода) на входа:'
        : 'Show this code (or the QR code) at the entrance:',
    ),
    { kind: 'code', text: parts.code },
    { kind: 'image', cid: 'ticket-qr', alt: `${labels[parts.locale].code}: ${parts.code}` },
  ];
}

function compose(kind: RegistrationMailKind, parts: Parts): MailContent {
  const { event, locale, manageUrl, confirmUrl } = parts;
  const title = localized(event, locale).title;
  const bg = locale === 'bg';
  const manage = action(
    bg ? 'Вижте или отменете регистрацията' : 'View or cancel your registration',
    manageUrl,
  );
  const deadline = parts.registration.confirmBy
    ? sofiaDateTime(parts.registration.confirmBy, locale)
    : '';
  switch (kind) {
    case 'pending':
      return {
        title: bg
          ? `Потвърдете регистрацията си за „${title}“`
          : `Confirm your registration for “${title}”`,
        blocks: [
          p(
            bg
              ? `Запазихме ви място. За да го потвърдите, отворете връзката до ${deadline}; след това мястото се освобождава.`
              : `We are holding a seat for you. To confirm it, open the link by ${deadline}; after that the seat is released.`,
          ),
          action(bg ? 'Потвърждаване на регистрацията' : 'Confirm my registration', confirmUrl),
          details(event, locale),
          p(
            bg
              ? 'Ако не сте се регистрирали вие, пренебрегнете това писмо.'
              : 'If you did not register, ignore this email.',
          ),
        ],
      };
    case 'waitlisted':
      return {
        title: bg
          ? `В списъка с чакащи сте за „${title}“`
          : `You are on the waitlist for “${title}”`,
        blocks: [
          p(
            bg
              ? `Всички места са заети. Вие сте ${parts.waitlistPosition ?? ''}. в списъка с чакащи; ако се освободи място, ще го получите автоматично и ще ви пишем.`
              : `All seats are taken. You are number ${parts.waitlistPosition ?? ''} on the waitlist; if a seat frees up, it becomes yours automatically and we will write to you.`,
          ),
          ...(parts.registration.emailConfirmedAt
            ? []
            : [
                p(
                  bg
                    ? `Потвърдете имейл адреса си до ${deadline}, иначе регистрацията отпада:`
                    : `Confirm your email address by ${deadline}, or the registration lapses:`,
                ),
                action(bg ? 'Потвърждаване на имейла' : 'Confirm my email', confirmUrl),
              ]),
          details(event, locale),
          manage,
        ],
      };
    case 'confirmed':
    case 'promoted':
      return {
        title: bg ? `Вашият билет за „${title}“` : `Your ticket for “${title}”`,
        blocks: [
          p(
            kind === 'promoted'
              ? bg
                ? 'Освободи се място и то вече е ваше: регистрацията ви е потвърдена.'
                : 'A seat has freed up and it is now yours: your registration is confirmed.'
              : bg
                ? 'Регистрацията ви е потвърдена.'
                : 'Your registration is confirmed.',
          ),
          details(event, locale),
          ...ticketBlocks(parts),
          p(
            bg
              ? 'Прикачен е и файл за календара ви (.ics). Ако не можете да дойдете, моля, отменете регистрацията, за да освободите мястото.'
              : 'A file for your calendar (.ics) is attached. If you cannot come, please cancel so that someone else gets the seat.',
          ),
          manage,
        ],
      };
    case 'reminder':
      return {
        title: bg ? `Напомняне: „${title}“ е утре` : `Reminder: “${title}” is coming up`,
        blocks: [
          p(
            bg
              ? 'Напомняме ви за събитието, за което сте се регистрирали:'
              : 'A reminder of the event you registered for:',
          ),
          details(event, locale),
          ...ticketBlocks(parts),
          manage,
        ],
      };
    case 'changed':
      return {
        title: bg ? `Промяна в „${title}“` : `Change to “${title}”`,
        blocks: [
          p(
            bg
              ? 'Часът или мястото на събитието, за което сте се регистрирали, се промени. Ето новите данни (прикачен е и обновен файл за календара):'
              : 'The time or place of the event you registered for has changed. Here are the new details (an updated calendar file is attached):',
          ),
          details(event, locale),
          manage,
        ],
      };
    case 'event_cancelled':
      return {
        title: bg ? `Събитието „${title}“ е отменено` : `The event “${title}” is cancelled`,
        blocks: [
          p(
            bg
              ? 'Съжаляваме, събитието, за което сте се регистрирали, е отменено. Причина:'
              : 'We are sorry: the event you registered for has been cancelled. Reason:',
          ),
          { kind: 'quote', text: parts.reason ?? '' },
          details(event, locale),
        ],
      };
    case 'cancelled':
      return {
        title: bg
          ? `Регистрацията ви за „${title}“ е отменена`
          : `Your registration for “${title}” is cancelled`,
        blocks: [
          p(
            bg
              ? 'Отменихте регистрацията си. Благодарим, че освободихте мястото!'
              : 'You have cancelled your registration. Thank you for freeing the seat!',
          ),
          details(event, locale),
        ],
      };
    case 'expired':
      return {
        title: bg
          ? `Регистрацията ви за „${title}“ отпадна`
          : `Your registration for “${title}” has lapsed`,
        blocks: [
          p(
            bg
              ? 'Регистрацията не беше потвърдена навреме и мястото беше освободено. Ако все още искате да дойдете, регистрирайте се отново.'
              : 'The registration was not confirmed in time and the seat was released. If you still want to come, please register again.',
          ),
          details(event, locale),
        ],
      };
  }
}

const withTicket = new Set<RegistrationMailKind>(['confirmed', 'promoted', 'reminder']);
const withCalendar = new Set<RegistrationMailKind>([
  'confirmed',
  'promoted',
  'changed',
  'event_cancelled',
]);

/** Links of a registration's mails; the web pages at these paths call the token routes. */
export function registrationLinks(ctx: EventMailContext, registrationId: string) {
  const token = registrationToken(ctx.signer, registrationId);
  const base = `${ctx.publicOrigin}/events/registrations/${registrationId}`;
  return { manageUrl: `${base}?token=${token}`, confirmUrl: `${base}/confirm?token=${token}` };
}

/** What a registration mail is drawn from: the registration's row, or the one about to be written. */
export type RegistrationMailFields = Pick<
  RegistrationRow,
  'id' | 'userId' | 'name' | 'email' | 'locale' | 'ticketId' | 'confirmBy' | 'emailConfirmedAt'
>;

/**
 * Draws one registration mail, in the registrant's language, without touching the database: ticket
 * mails carry the code, the QR code as an inline PNG and the event as an .ics attachment. Null for
 * a registration without an email. A caller holding an event's lock draws before taking it (see
 * register); `qrPng` is the ticket's QR image when it was drawn already.
 */
export async function drawRegistrationMail(
  ctx: EventMailContext,
  kind: RegistrationMailKind,
  event: EventRow,
  registration: RegistrationMailFields,
  extra: { reason?: string | null; waitlistPosition?: number | null; qrPng?: Buffer } = {},
): Promise<RenderedMail | null> {
  if (!registration.email) return null;
  const locale = registration.locale;
  const code = ticketCode(ctx.signer, registration.ticketId);
  const content = compose(kind, {
    event,
    registration,
    locale,
    code,
    reason: extra.reason ?? null,
    waitlistPosition: extra.waitlistPosition ?? null,
    ...registrationLinks(ctx, registration.id),
  });
  const attachments: OutboxAttachment[] = [];
  if (withTicket.has(kind)) {
    attachments.push({
      filename: 'ticket-qr.png',
      contentType: 'image/png',
      contentBase64: (extra.qrPng ?? (await ticketQrPng(code))).toString('base64'),
      cid: 'ticket-qr',
    });
  }
  if (withCalendar.has(kind)) {
    const ics = eventsCalendar(
      [event],
      locale,
      {
        publicOrigin: ctx.publicOrigin,
        siteName: ctx.siteName[locale],
      },
      { name: ctx.siteName[locale], method: 'publish' },
    );
    attachments.push({
      filename: 'event.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      contentBase64: Buffer.from(ics).toString('base64'),
    });
  }
  return renderOutboxMail({
    to: registration.email,
    userId: registration.userId,
    locale,
    siteName: ctx.siteName[locale],
    mail: { displayName: registration.name, content },
    attachments,
  });
}

/** Draws one registration mail (drawRegistrationMail) and queues it in the caller's transaction. */
export async function queueRegistrationMail(
  tx: Executor,
  ctx: EventMailContext,
  kind: RegistrationMailKind,
  event: EventRow,
  registration: RegistrationMailFields,
  extra: { reason?: string | null; waitlistPosition?: number | null } = {},
): Promise<void> {
  const mail = await drawRegistrationMail(ctx, kind, event, registration, extra);
  if (mail) await storeMail(tx, mail);
}
