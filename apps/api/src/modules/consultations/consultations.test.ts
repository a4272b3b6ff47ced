import type { Consultation, ConsultationList } from '@sabor/contracts';
import { auditLog, consultations, liveEvents } from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consultationInput,
  draftConsultation,
  inDays,
  openConsultation,
} from '../../../test/fixtures';
import {
  type Account,
  buildTestApp,
  signUpEveryRole,
  strandIdempotencyKey,
  type TestApp,
} from '../../../test/helper';
import { runConsultationSchedule } from './scheduler';

let t: TestApp;
let admin: Account;
let moderator: Account;
let resident: Account;

beforeAll(async () => {
  t = await buildTestApp();
  ({ admin, moderator, resident } = await signUpEveryRole(t));
});
afterAll(async () => {
  await t.close();
});

/** A new consultation's body; the contact address is in capitals to check it is normalized. */
const draft = (overrides: Record<string, unknown> = {}) =>
  consultationInput({ contactEmail: 'Konsultacii@Example.bg', ...overrides });

const create = (overrides: Record<string, unknown> = {}) =>
  draftConsultation(t, admin.cookie, draft(overrides));

async function publish(id: string) {
  return t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${id}/publish`,
    cookie: admin.cookie,
  });
}

async function eventsOf(id: string) {
  return t.app.db
    .select()
    .from(liveEvents)
    .where(eq(liveEvents.topic, `consultation:${id}`))
    .orderBy(liveEvents.id);
}

async function list(query: string, cookie?: string): Promise<ConsultationList> {
  const response = await t.inject({ method: 'GET', url: `/api/consultations?${query}`, cookie });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('authorization', () => {
  const id = '00000000-0000-4000-8000-000000000000';
  const routes = [
    ['GET', '/api/admin/consultations', undefined],
    ['POST', '/api/admin/consultations', draft()],
    ['PATCH', `/api/admin/consultations/${id}`, { titleBg: 'Ново' }],
    ['POST', `/api/admin/consultations/${id}/publish`, undefined],
    ['POST', `/api/admin/consultations/${id}/close`, { reason: 'Причина' }],
    ['POST', `/api/admin/consultations/${id}/versions`, { body: 'Нов текст' }],
  ] as const;

  it.each(routes)(
    '%s %s: 401 anonymous, 403 resident and moderator',
    async (method, url, payload) => {
      expect((await t.inject({ method, url, payload })).statusCode).toBe(401);
      for (const who of [resident, moderator]) {
        const response = await t.inject({ method, url, payload, cookie: who.cookie });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    },
  );

  it('hides drafts from everyone but admins', async () => {
    const c = await create({ titleBg: 'Чернова за скриване' });
    for (const cookie of [undefined, resident.cookie, moderator.cookie]) {
      const response = await t.inject({ method: 'GET', url: `/api/consultations/${c.id}`, cookie });
      expect(response.statusCode).toBe(404);
      expect((await list(`q=${encodeURIComponent('Чернова за скриване')}`, cookie)).total).toBe(0);
    }
    const asAdmin = await t.inject({
      method: 'GET',
      url: `/api/consultations/${c.id}`,
      cookie: admin.cookie,
    });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toMatchObject({ state: 'draft', versions: [{ number: 1 }] });
    const adminList = await t.inject({
      method: 'GET',
      url: '/api/admin/consultations?state=draft',
      cookie: admin.cookie,
    });
    expect((adminList.json() as ConsultationList).items.map((i) => i.id)).toContain(c.id);
  });
});

describe('creating', () => {
  it('stores hostile text exactly as written and normalizes the contact address', async () => {
    const body = '<script>alert("x")</script>\n\n[link](javascript:alert(1)) **удебелен**';
    const c = await create({ titleBg: '<img src=x onerror=alert(1)>', body });
    expect(c).toMatchObject({
      titleBg: '<img src=x onerror=alert(1)>',
      body,
      contactEmail: 'konsultacii@example.bg',
      state: 'draft',
      currentVersion: 1,
      daysLeft: null,
    });
    const read = await t.inject({
      method: 'GET',
      url: `/api/consultations/${c.id}`,
      cookie: admin.cookie,
    });
    expect((read.json() as Consultation).body).toBe(body);
  });

  it('refuses bad input field by field', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/admin/consultations',
      cookie: admin.cookie,
      payload: draft({
        titleBg: 'x'.repeat(201),
        summary: 'a\u0000b',
        category: 'weather',
        opensAt: '2026-12-01T10:00:00',
        body: 'x'.repeat(100_001),
      }),
    });
    expect(response.statusCode).toBe(400);
    const fields = Object.keys((response.json() as { error: { fields: object } }).error.fields);
    expect(fields.sort()).toEqual(['body', 'category', 'opensAt', 'summary', 'titleBg']);
  });

  it('replays a retried create with the same Idempotency-Key', async () => {
    const payload = draft({ titleBg: 'Идемпотентна консултация' });
    const send = () =>
      t.inject({
        method: 'POST',
        url: '/api/admin/consultations',
        cookie: admin.cookie,
        headers: { 'idempotency-key': 'consultation-key-1' },
        payload,
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const rows = await t.app.db
      .select()
      .from(consultations)
      .where(eq(consultations.titleBg, 'Идемпотентна консултация'));
    expect(rows).toHaveLength(1);
  });

  it('answers a retry whose first attempt committed with the draft it created, not a second one', async () => {
    const payload = draft({ titleBg: 'Консултация при срив' });
    const send = () =>
      t.inject({
        method: 'POST',
        url: '/api/admin/consultations',
        cookie: admin.cookie,
        headers: { 'idempotency-key': 'consultation-stranded' },
        payload,
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    await strandIdempotencyKey(t, admin.id, 'consultation-stranded');
    const retry = await send();
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    const rows = await t.app.db
      .select()
      .from(consultations)
      .where(eq(consultations.titleBg, 'Консултация при срив'));
    expect(rows).toHaveLength(1);
  });
});

describe('legal guardrail on the period', () => {
  const post = (payload: Record<string, unknown>) =>
    t.inject({
      method: 'POST',
      url: '/api/admin/consultations',
      cookie: admin.cookie,
      payload: draft(payload),
    });

  it('refuses under 14 days', async () => {
    const response = await post({
      opensAt: inDays(1),
      closesAt: inDays(14),
      shortPeriodReason: 'Спешно',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: {
        code: 'consultation_period_too_short',
        fields: { closesAt: { code: 'period_too_short' } },
      },
    });
  });

  it('needs a public reason under 30 days', async () => {
    const without = await post({ opensAt: inDays(1), closesAt: inDays(21) });
    expect(without.statusCode).toBe(400);
    expect(without.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: { shortPeriodReason: { code: 'short_period_reason_required' } },
      },
    });
    const blank = await post({ opensAt: inDays(1), closesAt: inDays(21), shortPeriodReason: '  ' });
    expect(blank.statusCode).toBe(400);

    const reason = 'Срокът за кандидатстване по програмата изтича.';
    const withReason = await post({
      titleBg: 'Кратък срок с мотиви',
      opensAt: inDays(-1),
      closesAt: inDays(19),
      shortPeriodReason: reason,
    });
    expect(withReason.statusCode).toBe(201);
    const { id } = withReason.json() as Consultation;
    expect((await publish(id)).statusCode).toBe(200);
    const publicView = await t.inject({ method: 'GET', url: `/api/consultations/${id}` });
    expect(publicView.json()).toMatchObject({ shortPeriodReason: reason, state: 'open' });
  });

  it('accepts 30 days without a reason', async () => {
    const response = await post({ opensAt: inDays(1), closesAt: inDays(31) });
    expect(response.statusCode).toBe(201);
  });

  it('refuses a closing date before the opening date', async () => {
    const response = await post({ opensAt: inDays(10), closesAt: inDays(5) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { fields: { closesAt: { code: 'closes_before_opens' } } },
    });
  });

  it('checks the period on edits too', async () => {
    const c = await create();
    const response = await t.inject({
      method: 'PATCH',
      url: `/api/admin/consultations/${c.id}`,
      cookie: admin.cookie,
      payload: { closesAt: inDays(10) },
    });
    expect(response.json()).toMatchObject({ error: { code: 'consultation_period_too_short' } });
  });
});

describe('state machine', () => {
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.inject({
      method: 'PATCH',
      url: `/api/admin/consultations/${id}`,
      cookie: admin.cookie,
      payload,
    });
  const close = (id: string) =>
    t.inject({
      method: 'POST',
      url: `/api/admin/consultations/${id}/close`,
      cookie: admin.cookie,
      payload: { reason: 'Проектът е оттеглен.' },
    });

  it('publishes a future consultation as scheduled and announces it', async () => {
    const c = await create();
    const response = await publish(c.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ state: 'scheduled', daysLeft: null });
    expect((response.json() as Consultation).publishedAt).not.toBeNull();
    expect((await eventsOf(c.id)).map((e) => e.payload)).toEqual([
      { type: 'state_changed', state: 'scheduled' },
    ]);
    const again = await publish(c.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'consultation_invalid_state' } });
  });

  it('edits texts while open but not dates or the body in place', async () => {
    const c = await openConsultation(t, admin.cookie);
    expect(c.daysLeft).toBeGreaterThan(0);
    const title = await patch(c.id, { titleBg: 'Нов заглавен текст', titleEn: null });
    expect(title.statusCode).toBe(200);
    expect(title.json()).toMatchObject({ titleBg: 'Нов заглавен текст', titleEn: null });
    const dates = await patch(c.id, { closesAt: inDays(60) });
    expect(dates.statusCode).toBe(409);
    expect(dates.json()).toMatchObject({ error: { code: 'consultation_dates_locked' } });
    const body = await patch(c.id, { body: 'Пренаписан текст' });
    expect(body.json()).toMatchObject({ error: { code: 'consultation_body_published' } });
  });

  it('edits dates and the body of a draft', async () => {
    const c = await create();
    const response = await patch(c.id, {
      opensAt: '2027-03-01T09:00:00+02:00',
      closesAt: '2027-04-01T18:00:00+03:00',
      body: 'Нов проект',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      opensAt: '2027-03-01T07:00:00.000Z',
      closesAt: '2027-04-01T15:00:00.000Z',
      body: 'Нов проект',
      versions: [{ number: 1 }],
    });
  });

  it('refuses to close a draft or a scheduled consultation, and to revise a draft', async () => {
    const c = await create();
    expect((await close(c.id)).json()).toMatchObject({
      error: { code: 'consultation_invalid_state' },
    });
    const version = await t.inject({
      method: 'POST',
      url: `/api/admin/consultations/${c.id}/versions`,
      cookie: admin.cookie,
      payload: { body: 'Втори текст' },
    });
    expect(version.statusCode).toBe(409);
    await publish(c.id);
    expect((await close(c.id)).statusCode).toBe(409);
  });

  it('closes an open consultation early with an audited, public reason', async () => {
    const c = await openConsultation(t, admin.cookie);
    const response = await close(c.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      state: 'closed',
      closedReason: 'Проектът е оттеглен.',
      daysLeft: null,
    });
    const [entry] = await t.app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, c.id))
      .then((rows) => rows.filter((r) => r.action === 'consultation.closed_early'));
    expect(entry).toMatchObject({ actorId: admin.id, reason: 'Проектът е оттеглен.' });
    expect((await eventsOf(c.id)).map((e) => e.payload)).toEqual([
      { type: 'state_changed', state: 'open' },
      { type: 'state_changed', state: 'closed' },
    ]);
    expect((await close(c.id)).statusCode).toBe(409);
    expect((await patch(c.id, { titleBg: 'Късно' })).statusCode).toBe(409);
  });

  it('publishes a revised body as a new version', async () => {
    const c = await openConsultation(t, admin.cookie);
    const response = await t.inject({
      method: 'POST',
      url: `/api/admin/consultations/${c.id}/versions`,
      cookie: admin.cookie,
      payload: { body: 'Втора редакция' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      body: 'Втора редакция',
      currentVersion: 2,
      versions: [{ number: 1 }, { number: 2 }],
    });
    expect((await eventsOf(c.id)).at(-1)?.payload).toEqual({
      type: 'version_published',
      number: 2,
    });
  });

  it('answers 404 for an unknown consultation', async () => {
    const response = await publish('00000000-0000-4000-8000-000000000000');
    expect(response.statusCode).toBe(404);
  });
});

describe('scheduler', () => {
  it('opens and closes due consultations exactly once when two runs race', async () => {
    const toOpen = await create();
    await publish(toOpen.id);
    const toClose = await openConsultation(t, admin.cookie);
    await t.app.db
      .update(consultations)
      .set({ opensAt: sql`now() - interval '1 minute'` })
      .where(eq(consultations.id, toOpen.id));
    await t.app.db
      .update(consultations)
      .set({ closesAt: sql`now() - interval '1 minute'` })
      .where(eq(consultations.id, toClose.id));

    const results = await Promise.all([
      runConsultationSchedule(t.app.db),
      runConsultationSchedule(t.app.db),
    ]);
    expect(results.flatMap((r) => r.opened).filter((id) => id === toOpen.id)).toHaveLength(1);
    expect(results.flatMap((r) => r.closed).filter((id) => id === toClose.id)).toHaveLength(1);

    const [opened] = await t.app.db
      .select()
      .from(consultations)
      .where(eq(consultations.id, toOpen.id));
    expect(opened?.state).toBe('open');
    expect((await eventsOf(toOpen.id)).map((e) => e.payload)).toEqual([
      { type: 'state_changed', state: 'scheduled' },
      { type: 'state_changed', state: 'open' },
    ]);
    expect((await eventsOf(toClose.id)).map((e) => e.payload)).toEqual([
      { type: 'state_changed', state: 'open' },
      { type: 'state_changed', state: 'closed' },
    ]);

    const idle = await runConsultationSchedule(t.app.db);
    expect(idle.opened).not.toContain(toOpen.id);
    expect(idle.closed).not.toContain(toClose.id);
  });

  it('leaves consultations that are not yet due', async () => {
    const c = await create();
    await publish(c.id);
    await runConsultationSchedule(t.app.db);
    const [row] = await t.app.db.select().from(consultations).where(eq(consultations.id, c.id));
    expect(row?.state).toBe('scheduled');
  });
});

describe('public list and search', () => {
  let category: Consultation;
  beforeAll(async () => {
    category = await openConsultation(t, admin.cookie, {
      titleBg: 'Наредба за паркирането в централна градска част',
      titleEn: null,
      category: 'urban_planning',
      summary: 'Зони за паркиране, 50% отстъпка за живущи.',
    });
    await openConsultation(t, admin.cookie, {
      titleBg: 'Бюджет 2027',
      category: 'budget',
      body: 'Разходи за спорт',
    });
  });

  it('finds Cyrillic text case-insensitively in titles, summary and body', async () => {
    const byTitle = await list(`q=${encodeURIComponent('наредба за паркирането')}`);
    expect(byTitle.items.map((i) => i.id)).toEqual([category.id]);
    const byBody = await list(`q=${encodeURIComponent('РАЗХОДИ ЗА СПОРТ')}`);
    expect(byBody.total).toBe(1);
    const bySummary = await list(`q=${encodeURIComponent('50%')}`);
    expect(bySummary.items.map((i) => i.id)).toEqual([category.id]);
  });

  it('treats wildcards and SQL as plain text and refuses control characters', async () => {
    // Only the summary with a literal "50%" matches a search for "%".
    expect((await list(`q=${encodeURIComponent('%')}`)).items.map((i) => i.id)).toEqual([
      category.id,
    ]);
    for (const q of ['_', "' or 1=1 --", '\\']) {
      expect((await list(`q=${encodeURIComponent(q)}`)).total).toBe(0);
    }
    const control = await t.inject({
      method: 'GET',
      url: `/api/consultations?q=${encodeURIComponent('наредба\u0000')}`,
    });
    expect(control.statusCode).toBe(400);
    expect(control.json()).toMatchObject({
      error: { fields: { q: { code: 'control_characters' } } },
    });
  });

  it('filters by state and category and pages', async () => {
    const urban = await list('category=urban_planning&state=open');
    expect(urban.items.map((i) => i.id)).toEqual([category.id]);
    expect(urban.items[0]).toMatchObject({ state: 'open', category: 'urban_planning' });

    const open = await list('state=open&pageSize=2');
    expect(open.items).toHaveLength(2);
    expect(open.total).toBeGreaterThan(2);
    const second = await list('state=open&pageSize=2&page=2');
    expect(second.page).toBe(2);
    expect(second.items.map((i) => i.id)).not.toContain(open.items[0]?.id);
    for (const item of open.items) expect(item.state).toBe('open');

    const upcoming = await list('state=upcoming&pageSize=100');
    expect(upcoming.items.every((i) => i.state === 'scheduled')).toBe(true);
    const opens = upcoming.items.map((i) => i.opensAt);
    expect(opens).toEqual([...opens].sort());

    const closed = await list('state=closed&pageSize=100');
    expect(closed.items.length).toBeGreaterThan(0);
    expect(closed.items.every((i) => i.state === 'closed')).toBe(true);

    const everything = await list('pageSize=100');
    expect(everything.items.some((i) => i.state === 'draft')).toBe(false);
  });

  it('rejects bad filters', async () => {
    for (const query of ['state=draft', 'category=weather', 'page=0', 'pageSize=1000']) {
      const response = await t.inject({ method: 'GET', url: `/api/consultations?${query}` });
      expect(response.statusCode).toBe(400);
    }
  });
});
