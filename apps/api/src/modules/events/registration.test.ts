import {
  eventLiveEventSchema,
  routes,
  type ErrorBody,
  type Registration,
} from '@sabor/contracts';
import { liveEvents, registrations } from '@sabor/db';
import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, until } from '../../../test/fixtures';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { expireUnconfirmed, fillFreeSeats } from './scheduler';
import { linkOf, mailsTo, publishedEvent, quickUsers, register, registerOk } from './test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
});
afterAll(() => t.close());

const guest = (n: number | string) => ({
  name: `Гост ${n}`,
  email: `guest-${n}-${Date.now().toString(36)}@example.bg`,
});

describe('a resident registering', () => {
  it('gets a confirmed seat with a ticket, a mail with QR and .ics, and sees it in their list', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 2 });
    const [alice] = await quickUsers(t, 1);
    const registration = await registerOk(t, event.id, { cookie: alice!.cookie });
    expect(registration).toMatchObject({
      status: 'confirmed',
      email: alice!.email,
      waitlistPosition: null,
      event: { id: event.id, seatsLeft: 1, waitlisted: 0 },
    });
    expect(registration.ticket?.code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
    expect(registration.ticket?.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);

    const [mail] = await mailsTo(t, alice!.email);
    expect(mail?.subject).toMatch(/билет/);
    expect(mail?.text).toContain(registration.ticket!.code);
    expect(mail?.html).toContain('cid:ticket-qr');
    expect(mail?.attachments?.map((a) => a.filename)).toEqual(['ticket-qr.png', 'event.ics']);
    const png = Buffer.from(mail!.attachments![0]!.contentBase64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Europe/Sofia wall time of the start appears in the mail.
    const sofiaHour = new Intl.DateTimeFormat('bg-BG', {
      timeZone: 'Europe/Sofia',
      timeStyle: 'short',
    }).format(new Date(event.startsAt));
    expect(mail?.text).toContain(sofiaHour);

    const mine = await t.inject({
      method: 'GET',
      url: '/api/account/registrations',
      cookie: alice!.cookie,
    });
    expect(mine.json()).toMatchObject({
      total: 1,
      items: [{ id: registration.id, status: 'confirmed' }],
    });
    const detail = await t.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      cookie: alice!.cookie,
    });
    expect(detail.json()).toMatchObject({
      viewerRegistration: { id: registration.id, status: 'confirmed' },
      seatsLeft: 1,
    });
  });

  it('is refused a second registration with 409 already_registered and the first one’s status', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const [bob] = await quickUsers(t, 1);
    const first = await registerOk(t, event.id, { cookie: bob!.cookie });
    const again = await register(t, event.id, { cookie: bob!.cookie });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'already_registered' },
      registration: { id: first.id, status: 'confirmed' },
    });
    // The same email as a guest is the same person; a guest learns the status, never the id.
    const asGuest = await register(t, event.id, {
      payload: { name: 'Боб', email: bob!.email.toUpperCase() },
    });
    expect(asGuest.statusCode).toBe(409);
    expect(asGuest.json()).toMatchObject({ registration: { id: null, status: 'confirmed' } });
  });

  it('replays the same Idempotency-Key without a second registration', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const [carol] = await quickUsers(t, 1);
    const headers = { 'idempotency-key': `reg-${crypto.randomUUID()}` };
    const first = await register(t, event.id, { cookie: carol!.cookie, headers });
    const replay = await register(t, event.id, { cookie: carol!.cookie, headers });
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json<Registration>().id).toBe(first.json<Registration>().id);
    const rows = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(1);
  });

  it('sees and cancels only their own registration', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 5 });
    const [owner, other] = await quickUsers(t, 2);
    const registration = await registerOk(t, event.id, { cookie: owner!.cookie });
    for (const request of [
      { method: 'GET' as const, url: `/api/account/registrations/${registration.id}` },
      { method: 'POST' as const, url: `/api/account/registrations/${registration.id}/cancel` },
    ]) {
      expect((await t.inject({ ...request, cookie: other!.cookie })).statusCode).toBe(404);
      expect((await t.inject(request)).statusCode).toBe(401);
    }
    const cancelled = await t.inject({
      method: 'POST',
      url: `/api/account/registrations/${registration.id}/cancel`,
      cookie: owner!.cookie,
    });
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      ticket: null,
      event: { seatsLeft: 5 },
    });
    // Cancelling again is harmless; registering again afterwards is allowed.
    const twice = await t.inject({
      method: 'POST',
      url: `/api/account/registrations/${registration.id}/cancel`,
      cookie: owner!.cookie,
    });
    expect(twice.json()).toMatchObject({ status: 'cancelled' });
    expect((await register(t, event.id, { cookie: owner!.cookie })).statusCode).toBe(201);
  });
});

describe('the waitlist', () => {
  it('fills in order when full and promotes in order on cancellation, mailing the promoted', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 2 });
    const people = await quickUsers(t, 5);
    const regs: Registration[] = [];
    for (const person of people)
      regs.push(await registerOk(t, event.id, { cookie: person.cookie }));
    expect(regs.map((r) => r.status)).toEqual([
      'confirmed',
      'confirmed',
      'waitlisted',
      'waitlisted',
      'waitlisted',
    ]);
    expect(regs.map((r) => r.waitlistPosition)).toEqual([null, null, 1, 2, 3]);
    expect((await mailsTo(t, people[2]!.email))[0]?.subject).toMatch(/чакащи/);

    await t.inject({
      method: 'POST',
      url: `/api/account/registrations/${regs[0]!.id}/cancel`,
      cookie: people[0]!.cookie,
    });
    const third = await t.inject({
      method: 'GET',
      url: `/api/account/registrations/${regs[2]!.id}`,
      cookie: people[2]!.cookie,
    });
    expect(third.json()).toMatchObject({ status: 'confirmed' });
    expect(third.json<Registration>().ticket).not.toBeNull();
    const promotedMails = await mailsTo(t, people[2]!.email);
    expect(promotedMails.at(-1)?.text).toMatch(/Освободи се място/);
    const fourth = await t.inject({
      method: 'GET',
      url: `/api/account/registrations/${regs[3]!.id}`,
      cookie: people[3]!.cookie,
    });
    expect(fourth.json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    // Every change published the public count on event:<id>, in the change's transaction.
    const live = await t.app.db
      .select()
      .from(liveEvents)
      .where(eq(liveEvents.topic, `event:${event.id}`))
      .orderBy(desc(liveEvents.id))
      .limit(1);
    expect(eventLiveEventSchema.parse(live[0]?.payload)).toEqual({
      type: 'seats_changed',
      seatsLeft: 0,
      waitlisted: 2,
    });
  });

  it('promotes when the capacity is raised', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 1 });
    const people = await quickUsers(t, 3);
    const regs: Registration[] = [];
    for (const person of people)
      regs.push(await registerOk(t, event.id, { cookie: person.cookie }));
    const raised = await t.inject({
      method: 'PATCH',
      url: `/api/admin/events/${event.id}`,
      cookie: admin.cookie,
      payload: { capacity: 2 },
    });
    expect(raised.json()).toMatchObject({ seatsLeft: 0, waitlisted: 1 });
    const [second] = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.id, regs[1]!.id));
    expect(second?.status).toBe('confirmed');
  });
});

describe('a guest registering', () => {
  it('holds a seat as pending until the mailed link confirms it, then gets a ticket', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 3 });
    const person = guest('confirm');
    const response = await register(t, event.id, {
      payload: person,
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(201);
    const registration = response.json<Registration>();
    expect(registration).toMatchObject({
      status: 'pending_confirmation',
      ticket: null,
      event: { seatsLeft: 2 },
    });
    expect(new Date(registration.confirmBy!).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const [pendingMail] = await mailsTo(t, person.email);
    expect(pendingMail?.subject).toMatch(/^Confirm your registration/);
    const link = linkOf(pendingMail!, 'confirm');
    expect(link.registrationId).toBe(registration.id);

    const wrong = await t.inject({
      method: 'POST',
      url: '/api/events/registrations/confirm',
      payload: { registrationId: registration.id, token: 'a'.repeat(52) },
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ error: { code: 'token_invalid' } });

    const confirmed = await t.inject({
      method: 'POST',
      url: '/api/events/registrations/confirm',
      payload: link,
    });
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', emailConfirmed: true });
    expect(confirmed.json<Registration>().ticket?.code).toBeTruthy();
    const again = await t.inject({
      method: 'POST',
      url: '/api/events/registrations/confirm',
      payload: link,
    });
    expect(again.json()).toMatchObject({ status: 'confirmed' });
    const mails = await mailsTo(t, person.email);
    expect(mails.map((m) => m.subject.split(' – ')[0])).toEqual([
      expect.stringMatching(/^Confirm your registration/),
      expect.stringMatching(/^Your ticket for/),
    ]);

    // The manage link shows it and cancels it without signing in.
    const manage = linkOf(mails[1]!, 'manage');
    const seen = await t.inject({
      method: 'GET',
      url: `/api/events/registrations/by-token?registrationId=${manage.registrationId}&token=${manage.token}`,
    });
    expect(seen.json()).toMatchObject({ status: 'confirmed', name: person.name });
    const cancelled = await t.inject({
      method: 'POST',
      url: '/api/events/registrations/cancel',
      payload: manage,
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', event: { seatsLeft: 3 } });
  });

  it('is refused when the event is for account holders only', async () => {
    const event = await publishedEvent(t, admin.cookie, { guestsAllowed: false });
    const response = await register(t, event.id, { payload: guest('no') });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'event_sign_in_required' } });
  });

  it('loses the seat after the deadline, and the first waitlisted gets it', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 1 });
    const late = guest('late');
    const pending = await registerOk(t, event.id, { payload: late });
    const [waiting] = await quickUsers(t, 1);
    const waitlisted = await registerOk(t, event.id, { cookie: waiting!.cookie });
    expect(waitlisted.status).toBe('waitlisted');

    expect(await expireUnconfirmed(t.app.eventDeps)).toBe(0);
    await t.app.db
      .update(registrations)
      .set({ confirmBy: sql`now() - interval '1 minute'` })
      .where(eq(registrations.id, pending.id));
    const [first, second] = await Promise.all([
      expireUnconfirmed(t.app.eventDeps),
      expireUnconfirmed(t.app.eventDeps),
    ]);
    expect(first + second).toBe(1);
    const rows = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(rows.find((r) => r.id === pending.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'expired',
    });
    expect(rows.find((r) => r.id === waitlisted.id)).toMatchObject({ status: 'confirmed' });
    expect((await mailsTo(t, late.email)).at(-1)?.subject).toMatch(/отпадна/);
    expect((await mailsTo(t, waiting!.email)).at(-1)?.subject).toMatch(/билет/);
    // The lapsed link no longer confirms.
    const link = linkOf((await mailsTo(t, late.email))[0]!, 'confirm');
    const confirm = await t.inject({
      method: 'POST',
      url: '/api/events/registrations/confirm',
      payload: link,
    });
    expect(confirm.statusCode).toBe(409);
    expect(confirm.json()).toMatchObject({ error: { code: 'registration_cancelled' } });
  });
});

describe('registration input', () => {
  async function eventWithQuestions() {
    const event = await publishedEvent(t, admin.cookie, {
      capacity: 10,
      questions: [
        { kind: 'text', labelBg: 'Организация', required: true },
        {
          kind: 'choice',
          labelBg: 'Участие',
          options: [{ labelBg: 'Присъствено' }, { labelBg: 'Онлайн' }],
        },
        { kind: 'checkbox', labelBg: 'Нуждая се от достъпна среда' },
        { kind: 'consent', labelBg: 'Съгласен/на съм с обработката на личните ми данни' },
      ],
    });
    const [organisation, choice, checkbox, consent] = event.questions.map((q) => q.id);
    return {
      event,
      ids: { organisation: organisation!, choice: choice!, checkbox: checkbox!, consent: consent! },
    };
  }

  it('requires required questions and the consent, checks choices, refuses unknown questions', async () => {
    const { event, ids } = await eventWithQuestions();
    expect(event.questions.map((q) => [q.kind, q.required])).toEqual([
      ['text', true],
      ['choice', false],
      ['checkbox', false],
      ['consent', true],
    ]);
    const missing = await register(t, event.id, { payload: { ...guest('q1'), answers: {} } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.fields ?? {}).toMatchObject({
      [`answers.${ids.organisation}`]: { code: 'required' },
      [`answers.${ids.consent}`]: { code: 'consent_required' },
    });
    const refusedConsent = await register(t, event.id, {
      payload: { ...guest('q2'), answers: { [ids.organisation]: 'НПО', [ids.consent]: false } },
    });
    const refusedFields = refusedConsent.json<ErrorBody>().error.fields ?? {};
    expect(Object.keys(refusedFields)).toEqual([`answers.${ids.consent}`]);
    expect(refusedFields[`answers.${ids.consent}`]?.code).toBe('consent_required');
    const badChoice = await register(t, event.id, {
      payload: {
        ...guest('q3'),
        answers: {
          [ids.organisation]: 'НПО',
          [ids.consent]: true,
          [ids.choice]: '7',
          [crypto.randomUUID()]: 'x',
        },
      },
    });
    expect(
      Object.values(badChoice.json<ErrorBody>().error.fields ?? {}).map(
        (f) => (f as { code: string }).code,
      ),
    ).toEqual(['invalid', 'invalid']);
    const wrongType = await register(t, event.id, {
      payload: { ...guest('q4'), answers: { [ids.organisation]: true, [ids.consent]: 'yes' } },
    });
    expect(wrongType.statusCode).toBe(400);
    const ok = await register(t, event.id, {
      payload: {
        ...guest('q5'),
        answers: {
          [ids.organisation]: 'НПО „Зелен град“',
          [ids.consent]: true,
          [ids.choice]: '2',
          [ids.checkbox]: true,
        },
      },
    });
    expect(ok.statusCode).toBe(201);
    const nothingWritten = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(nothingWritten).toHaveLength(1);
  });

  it('refuses oversized, malformed and control-character input, and keeps hostile text as written', async () => {
    const { event, ids } = await eventWithQuestions();
    const base = { [ids.consent]: true };
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          name: 'x'.repeat(201),
          email: 'a@example.bg',
          answers: { ...base, [ids.organisation]: 'a' },
        },
        'name',
      ],
      [
        {
          name: 'Иван\u0007',
          email: 'a@example.bg',
          answers: { ...base, [ids.organisation]: 'a' },
        },
        'name',
      ],
      [
        { name: 'Иван', email: 'not-an-email', answers: { ...base, [ids.organisation]: 'a' } },
        'email',
      ],
      [{ name: 'Иван', answers: { ...base, [ids.organisation]: 'a' } }, 'email'],
      [
        {
          name: 'Иван',
          email: 'a@example.bg',
          answers: { ...base, [ids.organisation]: 'x'.repeat(2001) },
        },
        `answers.${ids.organisation}`,
      ],
      [
        {
          name: 'Иван',
          email: 'a@example.bg',
          answers: { ...base, [ids.organisation]: 'a\u0000b' },
        },
        `answers.${ids.organisation}`,
      ],
      [
        { name: 'Иван', email: 'a@example.bg', answers: { ...base, 'not-a-uuid': 'a' } },
        'answers.not-a-uuid',
      ],
    ];
    for (const [payload, field] of cases) {
      const response = await register(t, event.id, { payload });
      expect(response.statusCode, field).toBe(400);
      expect(Object.keys(response.json<ErrorBody>().error.fields ?? {}), field).toContain(field);
    }
    const malformed = await t.inject({
      method: 'POST',
      url: `/api/events/${event.id}/registrations`,
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Иван",',
    });
    expect(malformed.json()).toMatchObject({ error: { code: 'invalid_json' } });

    const hostile = {
      name: `<script>alert(1)</script>'; DROP TABLE registrations; --`,
      email: `o'hara+test@example.bg`,
      answers: {
        ...base,
        [ids.organisation]: `Robert'); DELETE FROM events;--\n<img src=x onerror=alert(1)>`,
      },
    };
    const stored = await registerOk(t, event.id, { payload: hostile });
    expect(stored.name).toBe(hostile.name);
    const [row] = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.id, stored.id));
    expect(row?.answers[ids.organisation]).toBe(hostile.answers[ids.organisation]);
    const [mail] = await mailsTo(t, hostile.email);
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain('&lt;script&gt;');
  });

  it('answers 404 for unknown and draft events and 409 when registration is closed or the event cancelled', async () => {
    expect((await register(t, crypto.randomUUID(), { payload: guest('x') })).statusCode).toBe(404);
    // Registration closed a minute ago (nothing requires a closing time in the future).
    const closed = await publishedEvent(t, admin.cookie, {
      registrationClosesAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const late = await register(t, closed.id, { payload: guest('late2') });
    expect(late.json()).toMatchObject({ error: { code: 'event_registration_closed' } });
    const cancelled = await publishedEvent(t, admin.cookie);
    await t.inject({
      method: 'POST',
      url: `/api/admin/events/${cancelled.id}/cancel`,
      cookie: admin.cookie,
      payload: { reason: 'Лошо време' },
    });
    const response = await register(t, cancelled.id, { payload: guest('c') });
    expect(response.json()).toMatchObject({ error: { code: 'event_cancelled' } });
  });
});

describe('the registrant’s account', () => {
  it('exports its registrations, and deleting it frees the seat for the waitlist', async () => {
    const event = await publishedEvent(t, admin.cookie, { capacity: 1 });
    const leaving = await signUp(t, { displayName: 'Напускащ Жител' });
    const mine = await registerOk(t, event.id, { cookie: leaving.cookie });
    const [waiting] = await quickUsers(t, 1);
    const waitlisted = await registerOk(t, event.id, { cookie: waiting!.cookie });

    const exported = await t.inject({
      method: 'GET',
      url: '/api/account/export',
      cookie: leaving.cookie,
    });
    expect(exported.json()).toMatchObject({
      eventRegistrations: [
        { id: mine.id, eventId: event.id, status: 'confirmed', email: leaving.email },
      ],
    });

    const deleted = await t.inject({
      method: 'POST',
      url: '/api/account/delete',
      cookie: leaving.cookie,
      payload: { password: leaving.password },
    });
    expect(deleted.statusCode).toBeLessThan(300);
    const [gone] = await t.app.db.select().from(registrations).where(eq(registrations.id, mine.id));
    expect(gone).toMatchObject({ status: 'cancelled', name: null, email: null, userId: null });
    expect(await fillFreeSeats(t.app.eventDeps)).toBe(1);
    const [promoted] = await t.app.db
      .select()
      .from(registrations)
      .where(eq(registrations.id, waitlisted.id));
    expect(promoted?.status).toBe('confirmed');
    expect(await fillFreeSeats(t.app.eventDeps)).toBe(0);
  });
});

describe('the public seat count', () => {
  it('arrives live on event:<id> after each registration and cancellation', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const event = await publishedEvent(t, admin.cookie, { capacity: 2 });
    // The page's bookmark: changes after it are replayed to a socket that subscribes later.
    const detail = await t.inject({ method: 'GET', url: `/api/events/${event.id}` });
    const { lastEventId } = detail.json<{ lastEventId: number }>();
    const list = await t.inject({ method: 'GET', url: '/api/events' });
    expect(list.json<{ lastEventId: number }>().lastEventId).toBe(lastEventId);
    const client = await connect(t);
    try {
      const people = await quickUsers(t, 3);
      const regs: Registration[] = [];
      for (const person of people)
        regs.push(await registerOk(t, event.id, { cookie: person.cookie }));
      await t.inject({
        method: 'POST',
        url: `/api/account/registrations/${regs[0]!.id}/cancel`,
        cookie: people[0]!.cookie,
      });
      await client.subscribe([`event:${event.id}`], lastEventId);
      await until(() => client.events(`event:${event.id}`).length >= 4, 'four seat events');
      expect(
        client.events(`event:${event.id}`).map((m) => eventLiveEventSchema.parse(m.payload)),
      ).toEqual([
        { type: 'seats_changed', seatsLeft: 1, waitlisted: 0 },
        { type: 'seats_changed', seatsLeft: 0, waitlisted: 0 },
        { type: 'seats_changed', seatsLeft: 0, waitlisted: 1 },
        { type: 'seats_changed', seatsLeft: 0, waitlisted: 0 },
      ]);
    } finally {
      client.socket.close();
    }
  });

  it('limits registrations per client address', async () => {
    const registrationsPerAddress = routes.registerForEvent.rateLimit.max;
    const event = await publishedEvent(t, admin.cookie, { capacity: null });
    const statuses: number[] = [];
    for (let i = 0; i <= registrationsPerAddress; i += 1) {
      const response = await t.inject({
        method: 'POST',
        url: `/api/events/${event.id}/registrations`,
        remoteAddress: '10.99.99.99',
        payload: { ...guest(`limit-${i}`), answers: {} },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, registrationsPerAddress).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
