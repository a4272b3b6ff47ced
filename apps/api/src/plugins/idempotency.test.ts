import { events, moderationReports, registrations, surveyResponses, surveys } from '@sabor/db';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, strandIdempotencyKey, type TestApp } from '../../test/helper';
import { inHours, openConsultation } from '../../test/fixtures';
import { publishedEvent } from '../modules/events/test-fixtures';
import {
  createSurvey,
  publishedSurvey,
  sampleAnswers,
  sampleIds,
  sampleSurvey,
} from '../modules/surveys/test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
}, 120_000);
afterAll(() => t.close());

/** A resident's comment on a new open consultation. */
async function someonesComment(): Promise<string> {
  const { id: consultationId } = await openConsultation(t, admin.cookie, {
    titleBg: 'Консултация за сигнал',
  });
  const resident = await signUp(t);
  const posted = await t.inject({
    method: 'POST',
    url: `/api/consultations/${consultationId}/comments`,
    cookie: resident.cookie,
    payload: { body: 'Коментар за сигнал', stance: 'for' },
  });
  return (posted.json() as { id: string }).id;
}

interface ResumableCreate {
  url: string;
  payload?: object;
  /** How many rows the create made (must stay 1 after the retry). */
  count: () => Promise<number>;
}

/**
 * Every resumable create route (comments and consultations have their own tests) answers the
 * retry that takes over a stranded claim with what the first attempt committed: the same
 * response, and one row.
 */
describe('a stranded Idempotency-Key on the resumable create routes', () => {
  const routes: Record<string, () => Promise<ResumableCreate>> = {
    'creating an event': async () => ({
      url: '/api/admin/events',
      payload: {
        type: 'conference',
        titleBg: 'Форум при срив на базата',
        descriptionBg: 'Форум.',
        venueBg: 'Зала',
        addressBg: 'Стара Загора',
        startsAt: inHours(48),
        endsAt: inHours(50),
        capacity: 10,
      },
      count: async () =>
        (await t.app.db.select().from(events).where(eq(events.titleBg, 'Форум при срив на базата')))
          .length,
    }),
    'creating a survey': async () => {
      const input = { ...sampleSurvey(sampleIds()), titleBg: 'Анкета при срив' };
      return {
        url: '/api/admin/surveys',
        payload: input,
        count: async () =>
          (await t.app.db.select().from(surveys).where(eq(surveys.titleBg, 'Анкета при срив')))
            .length,
      };
    },
    'copying a survey': async () => {
      const original = await createSurvey(t, admin.cookie, {
        ...sampleSurvey(sampleIds()),
        titleBg: 'Анкета за копиране при срив',
      });
      return {
        url: `/api/admin/surveys/${original.id}/duplicate`,
        count: async () =>
          (
            await t.app.db
              .select()
              .from(surveys)
              .where(like(surveys.titleBg, 'Анкета за копиране при срив%'))
          ).length - 1,
      };
    },
    'entering a paper response': async () => {
      const { survey, ids } = await publishedSurvey(t, admin.cookie);
      return {
        url: `/api/admin/surveys/${survey.id}/paper-responses`,
        payload: { answers: sampleAnswers(ids) },
        count: async () =>
          (
            await t.app.db
              .select()
              .from(surveyResponses)
              .where(eq(surveyResponses.surveyId, survey.id))
          ).length,
      };
    },
    'registering for an event': async () => {
      const event = await publishedEvent(t, admin.cookie, { titleBg: 'Събитие при срив' });
      return {
        url: `/api/events/${event.id}/registrations`,
        payload: { answers: {} },
        count: async () =>
          (await t.app.db.select().from(registrations).where(eq(registrations.eventId, event.id)))
            .length,
      };
    },
    'answering a survey': async () => {
      const { survey, ids } = await publishedSurvey(t, admin.cookie);
      return {
        url: `/api/surveys/${survey.id}/responses`,
        payload: { answers: sampleAnswers(ids) },
        count: async () =>
          (
            await t.app.db
              .select()
              .from(surveyResponses)
              .where(eq(surveyResponses.surveyId, survey.id))
          ).length,
      };
    },
    'reporting a comment': async () => {
      const commentId = await someonesComment();
      return {
        url: `/api/comments/${commentId}/reports`,
        payload: { reason: 'spam' },
        count: async () =>
          (
            await t.app.db
              .select()
              .from(moderationReports)
              .where(eq(moderationReports.reporterId, admin.id))
          ).length,
      };
    },
  };

  it.each(Object.keys(routes))('%s', async (name) => {
    const { url, payload, count } = await routes[name]!();
    const key = `stranded ${name}`.replaceAll(' ', '-');
    const send = () =>
      t.inject({
        method: 'POST',
        url,
        cookie: admin.cookie,
        headers: { 'idempotency-key': key },
        ...(payload && { payload }),
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    await strandIdempotencyKey(t, admin.id, key);
    const retry = await send();
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await count()).toBe(1);
  });
});
