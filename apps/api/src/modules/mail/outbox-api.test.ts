import { outboxListSchema, outboxMailSchema } from '@sabor/contracts';
import { outboxMails } from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { enqueueMail } from './outbox';
import { p } from './render';

let t: TestApp;
let admin: { cookie: string };

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
});

afterAll(async () => {
  await t.close();
});

/** Queues a mail and backdates it so list order does not depend on the clock's resolution. */
async function queueAt(to: string, minutesAgo: number): Promise<string> {
  const { id } = await enqueueMail(t.app.db, {
    to,
    locale: 'en',
    siteName: 'Stara Zagora Municipality',
    mail: { displayName: 'Ana', content: { title: 'Mail check', blocks: [p('A line.')] } },
  });
  await t.app.db
    .update(outboxMails)
    .set({ createdAt: sql`now() - make_interval(mins => ${minutesAgo})` })
    .where(eq(outboxMails.id, id));
  return id;
}

describe('GET /api/admin/outbox', () => {
  it('lists mails newest first, filtered by recipient case-insensitively, in pages', async () => {
    const older = await queueAt('Older.Filter@Example.test', 20);
    const newer = await queueAt('newer.filter@example.test', 10);
    await queueAt('someone.else@example.test', 5);

    const first = await t.inject({
      method: 'GET',
      url: '/api/admin/outbox?to=FILTER@example&pageSize=1',
      cookie: admin.cookie,
    });
    expect(first.statusCode).toBe(200);
    const page1 = outboxListSchema.parse(first.json());
    expect(page1).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(page1.items.map((m) => m.id)).toEqual([newer]);

    const second = await t.inject({
      method: 'GET',
      url: '/api/admin/outbox?to=filter@EXAMPLE&pageSize=1&page=2',
      cookie: admin.cookie,
    });
    expect(outboxListSchema.parse(second.json()).items.map((m) => m.id)).toEqual([older]);
  });

  it('matches % and _ in the filter literally', async () => {
    const literal = await queueAt('under_score@example.test', 1);
    await queueAt('underXscore@example.test', 1);
    for (const [filter, expected] of [
      ['under_score', [literal]],
      ['%', []],
    ] as const) {
      const response = await t.inject({
        method: 'GET',
        url: `/api/admin/outbox?to=${encodeURIComponent(filter)}`,
        cookie: admin.cookie,
      });
      expect(outboxListSchema.parse(response.json()).items.map((m) => m.id)).toEqual(expected);
    }
  });

  it('is for admins only', async () => {
    const resident = await signUp(t);
    const asResident = await t.inject({
      method: 'GET',
      url: '/api/admin/outbox',
      cookie: resident.cookie,
    });
    expect(asResident.statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/admin/outbox' })).statusCode).toBe(401);
  });
});

describe('GET /api/admin/outbox/:id', () => {
  it('returns one mail with ISO dates, without the HTML part', async () => {
    const id = await queueAt('detail@example.test', 1);
    const response = await t.inject({
      method: 'GET',
      url: `/api/admin/outbox/${id}`,
      cookie: admin.cookie,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    const mail = outboxMailSchema.parse(body);
    expect(mail).toMatchObject({ id, to: 'detail@example.test', status: 'pending', sentAt: null });
    expect(mail.subject).toBe('Mail check – Stara Zagora Municipality');
    expect(body).not.toHaveProperty('html');
  });

  it('answers 404 not_found for an unknown id', async () => {
    const response = await t.inject({
      method: 'GET',
      url: '/api/admin/outbox/00000000-0000-4000-8000-000000000000',
      cookie: admin.cookie,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
