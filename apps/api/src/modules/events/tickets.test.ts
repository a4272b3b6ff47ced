import type { CheckInRefusedBody, ErrorBody, Registration } from '@sabor/contracts';
import { outboxMails, registrations } from '@sabor/db';
import { parse } from 'csv-parse/sync';
import { eq, inArray, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, buildTestApp, signUpEveryRole, type TestApp } from '../../../test/helper';
import { startSmtp } from '../../../test/smtp-server';
import { MailSender } from '../mail/sender';
import { removePersonalData, sendReminders } from './scheduler';
import { publishedEvent, quickUsers, registerOk } from './test-fixtures';
import { ticketCode } from './ticket';

let t: TestApp;
let admin: Account;
let moderator: Account;
let resident: Account;

beforeAll(async () => {
  t = await buildTestApp();
  ({ admin, moderator, resident } = await signUpEveryRole(t));
});
afterAll(() => t.close());

function checkIn(eventId: string, code: string, cookie = moderator.cookie) {
  return t.inject({
    method: 'POST',
    url: `/api/admin/events/${eventId}/check-in`,
    cookie,
    payload: { code },
  });
}

/** Replaces the character at `index` with another base32 letter. */
function alter(code: string, index: number): string {
  const c = code[index] === 'A' ? 'B' : 'A';
  return code.slice(0, index) + c + code.slice(index + 1);
}

describe('check-in at the door', () => {
  it('admits a confirmed ticket once and refuses forged, altered, unknown, cancelled and reused codes', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 2 });
    const other = await publishedEvent(t, admin.cookie, { capacity: 2 });
    const [a, b, c, d] = await quickUsers(t, 4);
    const ticket = await registerOk(t, event.id, { cookie: a!.cookie });
    const cancelled = await registerOk(t, event.id, { cookie: b!.cookie });
    const waitlisted = await registerOk(t, event.id, { cookie: c!.cookie });
    const elsewhere = await registerOk(t, other.id, { cookie: d!.cookie });
    const code = ticket.ticket!.code;
    const cancelledCode = cancelled.ticket!.code;
    await t.inject({
      method: 'POST',
      url: `/api/account/registrations/${cancelled.id}/cancel`,
      cookie: b!.cookie,
    });
    // The cancellation promoted c, so use a fresh waitlisted registration for that case.
    const [e] = await quickUsers(t, 1);
    const waiting = await registerOk(t, event.id, { cookie: e!.cookie });
    expect(waiting.status).toBe('waitlisted');
    const [waitingRow] = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.id, waiting.id));
    const waitingCode = ticketCode(t.app.eventDeps.signer, waitingRow!.ticketId);
    expect(waitlisted.status).toBe('waitlisted');

    const refusals: [string, number, string][] = [
      ['', 400, 'ticket_invalid'],
      ['hello', 400, 'ticket_invalid'],
      ['ABCD-EFGH-IJKL-MNOP-QRST-UVWX', 400, 'ticket_invalid'], // forged: no valid MAC
      [alter(code, 0), 400, 'ticket_invalid'], // altered id
      [alter(code, code.length - 1), 400, 'ticket_invalid'], // altered MAC
      [ticketCode(t.app.eventDeps.signer, 'aaaaaaaaaaaaaaaa'), 404, 'ticket_unknown'], // signed, no such ticket
      [elsewhere.ticket!.code, 409, 'ticket_other_event'],
      [cancelledCode, 409, 'ticket_cancelled'],
      [waitingCode, 409, 'ticket_not_confirmed'],
    ];
    for (const [input, status, errorCode] of refusals) {
      const response = await checkIn(event.id, input);
      expect(response.statusCode, input).toBe(status);
      expect(response.json<ErrorBody>().error.code, input).toBe(errorCode);
    }

    // Typed in lower case with spaces: the same ticket.
    const typed = code.toLowerCase().replaceAll('-', ' ');
    const admitted = await checkIn(event.id, typed);
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json()).toMatchObject({ registrationId: ticket.id, status: 'confirmed' });
    const reused = await checkIn(event.id, code, admin.cookie);
    expect(reused.statusCode).toBe(409);
    // The door staff see whose ticket it is and when it was used.
    expect(reused.json<CheckInRefusedBody>()).toMatchObject({
      error: { code: 'ticket_already_used' },
      attendee: {
        name: ticket.name,
        status: 'confirmed',
        checkedInAt: admitted.json<{ checkedInAt: string }>().checkedInAt,
      },
    });
    expect((await checkIn(event.id, cancelledCode)).json<CheckInRefusedBody>()).toMatchObject({
      attendee: { status: 'cancelled', checkedInAt: null },
    });
  });

  it('lets exactly one of several concurrent scans of one ticket win', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const [a] = await quickUsers(t, 1);
    const ticket = await registerOk(t, event.id, { cookie: a!.cookie });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        checkIn(event.id, ticket.ticket!.code, i % 2 ? admin.cookie : moderator.cookie),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([
      200, 409, 409, 409, 409, 409, 409, 409,
    ]);
  });

  it('is for staff only: anonymous 401, resident 403', async () => {
    const event = await publishedEvent(t, admin.cookie);
    expect((await checkIn(event.id, 'x', '')).statusCode).toBe(401);
    expect((await checkIn(event.id, 'x', resident.cookie)).statusCode).toBe(403);
  });
});

describe('authorization per route', () => {
  it('lets only admins manage events and only staff see attendees', async () => {
    const event = await publishedEvent(t, admin.cookie);
    const draft = await t.inject({
      method: 'POST',
      url: '/api/admin/events',
      cookie: admin.cookie,
      payload: {
        type: 'briefing',
        titleBg: 'Брифинг',
        descriptionBg: 'Брифинг.',
        venueBg: 'Зала 1',
        addressBg: 'Стара Загора',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 90_000_000).toISOString(),
        capacity: null,
      },
    });
    const draftId = draft.json<{ id: string }>().id;
    const routes: {
      method: 'GET' | 'POST' | 'PATCH';
      url: string;
      payload?: object;
      staff: 'admin' | 'moderator';
    }[] = [
      { method: 'GET', url: '/api/admin/events', staff: 'admin' },
      { method: 'POST', url: '/api/admin/events', payload: {}, staff: 'admin' },
      {
        method: 'PATCH',
        url: `/api/admin/events/${event.id}`,
        payload: { capacity: 60 },
        staff: 'admin',
      },
      { method: 'POST', url: `/api/admin/events/${draftId}/publish`, staff: 'admin' },
      {
        method: 'POST',
        url: `/api/admin/events/${event.id}/cancel`,
        payload: { reason: 'x' },
        staff: 'admin',
      },
      { method: 'GET', url: `/api/admin/events/${event.id}/registrations`, staff: 'moderator' },
      { method: 'GET', url: `/api/admin/events/${event.id}/registrations.csv`, staff: 'moderator' },
    ];
    for (const route of routes) {
      const { staff, ...request } = route;
      expect((await t.inject(request)).statusCode, `${route.url} anonymous`).toBe(401);
      expect(
        (await t.inject({ ...request, cookie: resident.cookie })).statusCode,
        `${route.url} resident`,
      ).toBe(403);
      const asModerator = await t.inject({ ...request, cookie: moderator.cookie });
      if (staff === 'admin') expect(asModerator.statusCode, `${route.url} moderator`).toBe(403);
      else expect(asModerator.statusCode, `${route.url} moderator`).toBe(200);
    }
    // Drafts are invisible to the public, visible to admins.
    expect((await t.inject({ method: 'GET', url: `/api/events/${draftId}` })).statusCode).toBe(404);
    expect(
      (await t.inject({ method: 'GET', url: `/api/events/${draftId}`, cookie: admin.cookie }))
        .statusCode,
    ).toBe(200);
    const list = await t.inject({ method: 'GET', url: '/api/events?when=upcoming&pageSize=100' });
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(draftId);
    expect((await t.inject({ method: 'GET', url: '/api/account/registrations' })).statusCode).toBe(
      401,
    );
  });
});

describe('calendars', () => {
  it('.ics of one event and the feed parse back with ical.js at the right instants (Sofia time)', async () => {
    // 10:00–13:30 Sofia summer time on 15 May 2031 = 07:00–10:30 UTC.
    const event = await publishedEvent(t, admin.cookie, {
      titleBg: 'Форум, с; запетаи\\ и „кавички“',
      startsAt: '2031-05-15T10:00:00+03:00',
      endsAt: '2031-05-15T13:30:00+03:00',
    });
    const response = await t.inject({ method: 'GET', url: `/api/events/${event.id}.ics` });
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    const vevent = ICAL.Component.fromString(response.body).getFirstSubcomponent('vevent')!;
    const parsed = new ICAL.Event(vevent);
    expect(parsed.startDate.toJSDate().toISOString()).toBe('2031-05-15T07:00:00.000Z');
    expect(parsed.endDate.toJSDate().toISOString()).toBe('2031-05-15T10:30:00.000Z');
    expect(parsed.summary).toBe('Форум, с; запетаи\\ и „кавички“');
    expect(parsed.uid).toContain(event.id);
    const sofia = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Sofia',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(parsed.startDate.toJSDate());
    expect(sofia).toBe('15/05/2031, 10:00');

    // Winter time: 18:00 Sofia on 10 December 2031 = 16:00 UTC.
    const winter = await publishedEvent(t, admin.cookie, {
      startsAt: '2031-12-10T18:00:00+02:00',
      endsAt: '2031-12-10T20:00:00+02:00',
    });
    const feed = await t.inject({ method: 'GET', url: '/api/events.ics' });
    const events = ICAL.Component.fromString(feed.body)
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    const found = events.find((e) => e.uid.includes(winter.id));
    expect(found?.startDate.toJSDate().toISOString()).toBe('2031-12-10T16:00:00.000Z');
    expect(events.some((e) => e.uid.includes(event.id))).toBe(true);
    expect(
      (await t.inject({ method: 'GET', url: `/api/events/${crypto.randomUUID()}.ics` })).statusCode,
    ).toBe(404);
  });
});

describe('attendee list', () => {
  it('searches, filters, and exports CSV with BOM and formula escaping that parses back', async () => {
    const event = await publishedEvent(t, admin.cookie, {
      capacity: 1,
      questions: [{ kind: 'text', labelBg: 'Организация', labelEn: 'Organisation' }],
    });
    const questionId = event.questions[0]!.id;
    const first = await registerOk(t, event.id, {
      payload: {
        name: '=HYPERLINK("http://evil")',
        email: 'formula@example.bg',
        answers: { [questionId]: '+359 42 "НПО"' },
      },
    });
    await registerOk(t, event.id, {
      payload: {
        name: 'Петя Колева',
        email: 'petya@example.bg',
        answers: { [questionId]: 'Община, отдел' },
      },
    });
    const list = await t.inject({
      method: 'GET',
      url: `/api/admin/events/${event.id}/registrations?q=петя`,
      cookie: moderator.cookie,
    });
    expect(list.json()).toMatchObject({
      total: 1,
      items: [
        { name: 'Петя Колева', status: 'waitlisted', answers: { [questionId]: 'Община, отдел' } },
      ],
      counts: { pendingConfirmation: 1, waitlisted: 1, confirmed: 0 },
    });
    const filtered = await t.inject({
      method: 'GET',
      url: `/api/admin/events/${event.id}/registrations?status=pending_confirmation`,
      cookie: moderator.cookie,
    });
    expect(filtered.json()).toMatchObject({ total: 1, items: [{ id: first.id }] });

    const csv = await t.inject({
      method: 'GET',
      url: `/api/admin/events/${event.id}/registrations.csv`,
      // The language cookie wins over the account's language.
      cookie: `${admin.cookie}; sabor_locale=en`,
    });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(csv.body, { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'No.',
      'Name',
      'Email',
      'Account',
      'Status',
      'Registered',
      'Checked in',
      'ID',
      'Organisation',
    ]);
    expect(rows[1]?.[1]).toBe(`'=HYPERLINK("http://evil")`);
    expect(rows[1]?.[4]).toBe('awaiting confirmation');
    expect(rows[1]?.[8]).toBe(`'+359 42 "НПО"`);
    expect(rows[2]?.slice(1, 5)).toEqual(['Петя Колева', 'petya@example.bg', '', 'waitlisted']);
    expect(rows[2]?.[5]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(rows).toHaveLength(3);
  });
});

describe('scheduled jobs', () => {
  it('sends the reminder once per confirmed registrant, even with two runs at once', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 3 }, 30);
    const people = await quickUsers(t, 4);
    for (const person of people) await registerOk(t, event.id, { cookie: person.cookie });
    // Not yet: the event is more than a day away.
    expect(await sendReminders(t.app.eventDeps)).toBe(0);
    await t.app.db.execute(
      sql`update events set starts_at = now() + interval '20 hours', ends_at = now() + interval '26 hours' where id = ${event.id}`,
    );
    const runs = await Promise.all([
      sendReminders(t.app.eventDeps),
      sendReminders(t.app.eventDeps),
      sendReminders(t.app.eventDeps),
    ]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(3);
    const reminders = await t.app.db
      .select()
      .from(outboxMails)
      .where(
        inArray(
          outboxMails.to,
          people.map((p) => p.email),
        ),
      );
    const subjects = reminders.filter((m) => m.subject.startsWith('Напомняне'));
    expect(subjects.map((m) => m.to).sort()).toEqual(
      people
        .slice(0, 3)
        .map((p) => p.email)
        .sort(),
    );
    expect(subjects[0]?.attachments?.[0]?.filename).toBe('ticket-qr.png');
    expect(await sendReminders(t.app.eventDeps)).toBe(0);
  });

  it('sends the reminder once with two instances on one PostgreSQL database', async (context) => {
    if (!t.config.databaseUrl) {
      context.skip('two instances need PostgreSQL (PGlite is one process’s database)');
      return;
    }
    const second = await buildTestApp({}, undefined, { databaseUrl: t.config.databaseUrl });
    try {
      const event = await publishedEvent(t, admin.cookie, { capacity: 10 }, 30);
      const people = await quickUsers(t, 6);
      for (const person of people) await registerOk(t, event.id, { cookie: person.cookie });
      await t.app.db.execute(
        sql`update events set starts_at = now() + interval '2 hours', ends_at = now() + interval '3 hours' where id = ${event.id}`,
      );
      const [one, two] = await Promise.all([
        sendReminders(t.app.eventDeps),
        sendReminders(second.app.eventDeps),
      ]);
      expect(one + two).toBe(6);
      const mails = await t.app.db
        .select()
        .from(outboxMails)
        .where(
          inArray(
            outboxMails.to,
            people.map((p) => p.email),
          ),
        );
      expect(mails.filter((m) => m.subject.startsWith('Напомняне'))).toHaveLength(6);
    } finally {
      await second.close();
    }
  });

  it('removes attendees’ personal data after the retention period and keeps the counts', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 1 });
    const [a] = await quickUsers(t, 1);
    await registerOk(t, event.id, { cookie: a!.cookie });
    await registerOk(t, event.id, { payload: { name: 'Гост', email: 'retention@example.bg' } });
    expect(await removePersonalData(t.app.eventDeps, 30)).toBe(0);
    await t.app.db.execute(
      sql`update events set starts_at = now() - interval '32 days', ends_at = now() - interval '31 days' where id = ${event.id}`,
    );
    const [one, two] = await Promise.all([
      removePersonalData(t.app.eventDeps, 30),
      removePersonalData(t.app.eventDeps, 30),
    ]);
    expect(one + two).toBe(1);
    const rows = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(rows.map((r) => [r.name, r.email, r.userId, r.answers])).toEqual([
      [null, null, null, {}],
      [null, null, null, {}],
    ]);
    const list = await t.inject({
      method: 'GET',
      url: `/api/admin/events/${event.id}/registrations`,
      cookie: admin.cookie,
    });
    expect(list.json()).toMatchObject({ total: 2, counts: { confirmed: 1, waitlisted: 1 } });
  });
});

describe('changes to an event', () => {
  it('mails everyone registered on a new time or place, and on cancellation', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 1 });
    const [a, b] = await quickUsers(t, 2);
    const confirmed = await registerOk(t, event.id, { cookie: a!.cookie });
    const waiting = await registerOk(t, event.id, { cookie: b!.cookie });
    expect([confirmed.status, waiting.status]).toEqual(['confirmed', 'waitlisted']);
    const count = async (email: string) =>
      (await t.app.db.select().from(outboxMails).where(eq(outboxMails.to, email))).length;
    const before = [await count(a!.email), await count(b!.email)];

    // A title change notifies nobody; a new venue notifies both.
    await t.inject({
      method: 'PATCH',
      url: `/api/admin/events/${event.id}`,
      cookie: admin.cookie,
      payload: { titleEn: 'Forum' },
    });
    expect([await count(a!.email), await count(b!.email)]).toEqual(before);
    const moved = await t.inject({
      method: 'PATCH',
      url: `/api/admin/events/${event.id}`,
      cookie: admin.cookie,
      payload: {
        venueBg: 'Драматичен театър',
        startsAt: '2031-06-01T10:00:00+03:00',
        endsAt: '2031-06-01T12:00:00+03:00',
      },
    });
    expect(moved.statusCode).toBe(200);
    expect([await count(a!.email), await count(b!.email)]).toEqual(before.map((n) => n + 1));
    const [changeMail] = await t.app.db
      .select()
      .from(outboxMails)
      .where(eq(outboxMails.to, a!.email))
      .orderBy(sql`${outboxMails.createdAt} desc`)
      .limit(1);
    expect(changeMail?.text).toContain('Драматичен театър');
    const ics = Buffer.from(changeMail!.attachments![0]!.contentBase64, 'base64').toString();
    expect(ics).toContain('SEQUENCE:1');

    const bad = await t.inject({
      method: 'PATCH',
      url: `/api/admin/events/${event.id}`,
      cookie: admin.cookie,
      payload: { endsAt: '2031-06-01T09:00:00+03:00' },
    });
    expect(bad.json()).toMatchObject({
      error: { fields: { endsAt: { code: 'ends_before_starts' } } },
    });
    const locked = await t.inject({
      method: 'PATCH',
      url: `/api/admin/events/${event.id}`,
      cookie: admin.cookie,
      payload: { questions: [] },
    });
    expect(locked.json()).toMatchObject({ error: { code: 'event_questions_locked' } });

    const cancelled = await t.inject({
      method: 'POST',
      url: `/api/admin/events/${event.id}/cancel`,
      cookie: admin.cookie,
      payload: { reason: 'Залата е в ремонт.' },
    });
    expect(cancelled.json()).toMatchObject({
      state: 'cancelled',
      cancelledReason: 'Залата е в ремонт.',
    });
    expect([await count(a!.email), await count(b!.email)]).toEqual(before.map((n) => n + 2));
    const mine = await t.inject({
      method: 'GET',
      url: `/api/account/registrations/${confirmed.id}`,
      cookie: a!.cookie,
    });
    expect(mine.json<Registration>()).toMatchObject({
      ticket: null,
      event: { state: 'cancelled' },
    });
    const again = await t.inject({
      method: 'POST',
      url: `/api/admin/events/${event.id}/cancel`,
      cookie: admin.cookie,
      payload: { reason: 'x' },
    });
    expect(again.json()).toMatchObject({ error: { code: 'event_invalid_state' } });
  });
});

describe('the ticket mail over SMTP', () => {
  it('arrives with the QR code as an inline image and the .ics attached', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const [a] = await quickUsers(t, 1);
    const registration = await registerOk(t, event.id, { cookie: a!.cookie });
    // Only this mail is due: everything queued earlier in this file is marked sent.
    await t.app.db
      .update(outboxMails)
      .set({ status: 'sent' })
      .where(sql`${outboxMails.to} <> ${a!.email}`);
    const smtp = await startSmtp();
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    const sender = new MailSender({
      db: t.app.db,
      smtpUrl: smtp.url,
      from: 'Sabor <no-reply@example.bg>',
      logger,
    });
    try {
      expect(await sender.deliverDue()).toBe(1);
      const mail = smtp.received[0]!.mail;
      expect(mail.text).toContain(registration.ticket!.code);
      const qr = mail.attachments.find((file) => file.contentType === 'image/png');
      expect(qr?.cid).toBe('ticket-qr');
      // mailparser swaps a cid: link that matches an attachment for the image's data URL.
      expect(mail.html || '').toMatch(/<img src="data:image\/png;base64,/);
      const ics = mail.attachments.find((file) => file.contentType.startsWith('text/calendar'));
      const vevent = ICAL.Component.fromString(ics!.content.toString()).getFirstSubcomponent(
        'vevent',
      )!;
      // iCalendar counts whole seconds.
      expect(new ICAL.Event(vevent).startDate.toJSDate().getTime()).toBe(
        Math.floor(new Date(event.startsAt).getTime() / 1000) * 1000,
      );
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });
});
