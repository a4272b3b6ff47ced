import { events, surveys } from '@sabor/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, strandIdempotencyKey, type TestApp } from '../../test/helper';
import { inHours } from '../modules/events/test-fixtures';
import { sampleIds, sampleSurvey } from '../modules/surveys/test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
}, 120_000);
afterAll(() => t.close());

/**
 * Every resumable create route (comments and consultations have their own tests) answers the
 * retry that takes over a stranded claim with what the first attempt committed: the same
 * response, and one row.
 */
describe('a stranded Idempotency-Key on the resumable create routes', () => {
  const routes = [
    {
      name: 'an event',
      url: '/api/admin/events',
      payload: () => ({
        type: 'conference',
        titleBg: 'Форум при срив на базата',
        descriptionBg: 'Форум.',
        venueBg: 'Зала',
        addressBg: 'Стара Загора',
        startsAt: inHours(48),
        endsAt: inHours(50),
        capacity: 10,
      }),
      count: async () =>
        (await t.app.db.select().from(events).where(eq(events.titleBg, 'Форум при срив на базата')))
          .length,
    },
    {
      name: 'a survey',
      url: '/api/admin/surveys',
      payload: () => sampleSurvey(sampleIds()),
      // This app's only survey.
      count: async () => (await t.app.db.select().from(surveys)).length,
    },
  ];

  it.each(routes)('creating $name', async ({ url, payload, count }) => {
    const body = payload();
    const key = `stranded-${url}`;
    const send = () =>
      t.inject({
        method: 'POST',
        url,
        cookie: admin.cookie,
        headers: { 'idempotency-key': key },
        payload: body,
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    await strandIdempotencyKey(t, admin.id, key);
    const retry = await send();
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await count()).toBe(1);
  });
});
