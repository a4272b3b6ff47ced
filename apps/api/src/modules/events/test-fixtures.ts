import type { Event, Registration } from '@sabor/contracts';
import { outboxMails, users, type OutboxMailRow } from '@sabor/db';
import { asc, eq } from 'drizzle-orm';
import { inHours } from '../../../test/fixtures';
import type { TestApp } from '../../../test/helper';
import { createSession } from '../auth/session-service';

/** A draft event starting in `startsInHours` (default a week), created through the admin API. */
export async function createEvent(
  t: TestApp,
  adminCookie: string,
  overrides: Record<string, unknown> = {},
  startsInHours = 24 * 7,
): Promise<Event> {
  const response = await t.inject({
    method: 'POST',
    url: '/api/admin/events',
    cookie: adminCookie,
    payload: {
      type: 'conference',
      titleBg: 'Международен форум на градовете-партньори',
      titleEn: 'International Forum of Partner Cities',
      descriptionBg: 'Форум с партньорите на града.',
      venueBg: 'Зала „Арт Диалог“',
      addressBg: 'бул. „Цар Симеон Велики“ 107, Стара Загора',
      startsAt: inHours(startsInHours),
      endsAt: inHours(startsInHours + 6),
      capacity: 50,
      ...overrides,
    },
  });
  if (response.statusCode !== 201) throw new Error(`create event failed: ${response.body}`);
  return response.json();
}

export async function publishEvent(t: TestApp, adminCookie: string, id: string): Promise<Event> {
  const response = await t.inject({
    method: 'POST',
    url: `/api/admin/events/${id}/publish`,
    cookie: adminCookie,
  });
  if (response.statusCode !== 200) throw new Error(`publish failed: ${response.body}`);
  return response.json();
}

export async function publishedEvent(
  t: TestApp,
  adminCookie: string,
  overrides: Record<string, unknown> = {},
  startsInHours?: number,
): Promise<Event> {
  const event = await createEvent(t, adminCookie, overrides, startsInHours);
  return publishEvent(t, adminCookie, event.id);
}

export interface QuickUser {
  id: string;
  email: string;
  cookie: string;
}

let counter = 0;

/**
 * Residents made straight in the database with a session each (no password hashing), for tests
 * that need hundreds of accounts.
 */
export async function quickUsers(t: TestApp, count: number, prefix = 'r'): Promise<QuickUser[]> {
  const made: QuickUser[] = [];
  for (let i = 0; i < count; i += 1) {
    counter += 1;
    const email = `${prefix}-${Date.now().toString(36)}-${counter}@example.bg`;
    const [row] = await t.app.db
      .insert(users)
      .values({ email, displayName: `Жител ${counter}`, emailVerifiedAt: new Date() })
      .returning({ id: users.id });
    const { token } = await createSession(t.app.db, row!.id, {});
    made.push({ id: row!.id, email, cookie: `sabor_session=${token}` });
  }
  return made;
}

export async function register(
  t: TestApp,
  eventId: string,
  options: {
    cookie?: string;
    payload?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
) {
  return t.inject({
    method: 'POST',
    url: `/api/events/${eventId}/registrations`,
    ...(options.cookie && { cookie: options.cookie }),
    payload: { answers: {}, ...options.payload },
    ...(options.headers && { headers: options.headers }),
  });
}

export async function registerOk(
  t: TestApp,
  eventId: string,
  options: Parameters<typeof register>[2] = {},
): Promise<Registration> {
  const response = await register(t, eventId, options);
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.body}`);
  return response.json();
}

export async function mailsTo(t: TestApp, to: string): Promise<OutboxMailRow[]> {
  return t.app.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.to, to))
    .orderBy(asc(outboxMails.createdAt));
}

/** The registration id and token of a link in a mail (`/events/registrations/<id>…?token=…`). */
export function linkOf(mail: OutboxMailRow, kind: 'confirm' | 'manage') {
  const pattern =
    kind === 'confirm'
      ? /\/events\/registrations\/([0-9a-f-]{36})\/confirm\?token=([a-z2-7]{52})/
      : /\/events\/registrations\/([0-9a-f-]{36})\?token=([a-z2-7]{52})/;
  const match = pattern.exec(mail.text);
  if (!match) throw new Error(`no ${kind} link in mail "${mail.subject}"`);
  return { registrationId: match[1]!, token: match[2]! };
}
