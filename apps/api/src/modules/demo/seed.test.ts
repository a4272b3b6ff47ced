import {
  consultationListSchema,
  eventListSchema,
  eventSchema,
  moderationQueueSchema,
  surveyListSchema,
  surveyResultsSchema,
  surveySchema,
} from '@sabor/contracts';
import {
  comments,
  consultations,
  moderationSettings,
  registrations,
  selectRows,
  surveyResponses,
  users,
} from '@sabor/db';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, sessionCookieOf, signUp, type TestApp } from '../../../test/helper';
import { seedDemo } from './seed';
import { demoClosedSurveyTitle, demoOpenSurveyTitle } from './surveys';

describe('demo content', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await seedDemo(t.app.db);
  });
  afterAll(() => t.close());

  it('has an open, a closed (report published) and an upcoming consultation', async () => {
    const rows = await t.app.db
      .select({ slug: consultations.slug, state: consultations.state })
      .from(consultations)
      .orderBy(consultations.slug);
    expect(rows).toEqual([
      { slug: 'demo-cycling-plan', state: 'scheduled' },
      { slug: 'demo-directorate-rules', state: 'open' },
      { slug: 'demo-twin-cities-strategy', state: 'report_published' },
    ]);
    const open = await t.inject({ method: 'GET', url: '/api/consultations?state=open' });
    expect(consultationListSchema.parse(open.json()).items[0]?.titleEn).toMatch(
      /Rules of Procedure/,
    );
  });

  it('gives the open consultation a dozen comments whose counters match the thread', async () => {
    const [open] = await t.app.db
      .select()
      .from(consultations)
      .where(eq(consultations.slug, 'demo-directorate-rules'));
    const thread = await t.app.db
      .select()
      .from(comments)
      .where(eq(comments.consultationId, open!.id));
    expect(thread).toHaveLength(12);
    for (const comment of thread) {
      const replies = thread.filter((c) => c.parentId === comment.id);
      expect(comment.replyCount).toBe(replies.length);
      const parent = thread.find((c) => c.id === comment.parentId);
      expect(comment.depth).toBe(parent ? parent.depth + 1 : 0);
      expect(comment.rootId).toBe(parent ? parent.rootId : comment.id);
      expect(comment.stance === null).toBe(comment.parentId !== null);
    }
    const mismatched = await selectRows<{ id: string }>(
      t.app.db,
      sql`select c.id from comments c
          where c.support_count <> (select count(*) from comment_supports s where s.comment_id = c.id)`,
    );
    expect(mismatched).toEqual([]);
    const detail = await t.inject({ method: 'GET', url: `/api/consultations/${open!.id}` });
    expect(detail.json()).toMatchObject({ participantCount: 6 });
    const list = await t.inject({ method: 'GET', url: `/api/consultations/${open!.id}/comments` });
    expect(list.json()).toMatchObject({ total: 7 });
  });

  it("puts reported comments in the moderators' queue and starts the word lists", async () => {
    const moderator = await signUp(t, { role: 'moderator' });
    const response = await t.inject({
      method: 'GET',
      url: '/api/moderation/items?order=most_reported',
      cookie: moderator.cookie,
    });
    const queue = moderationQueueSchema.parse(response.json());
    expect(queue.total).toBe(2);
    expect(queue.items[0]).toMatchObject({
      cause: 'reported',
      reportCount: 2,
      reportReasons: { misinformation: 2 },
      comment: { moderation: { state: 'visible' } },
    });
    const [settings] = await t.app.db.select().from(moderationSettings);
    expect(settings?.wordsBg).toContain('идиот');
  });

  it('lets a demo resident post more than a new account may in a minute', async () => {
    const login = await t.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'resident1@sabor.local', password: 'sabor-resident-demo' },
    });
    const cookie = sessionCookieOf(login);
    const [open] = await t.app.db
      .select()
      .from(consultations)
      .where(eq(consultations.slug, 'demo-directorate-rules'));
    for (let n = 1; n <= 5; n += 1) {
      const response = await t.inject({
        method: 'POST',
        url: `/api/consultations/${open!.id}/comments`,
        cookie,
        payload: { body: `Предложение ${n}`, stance: 'for' },
      });
      expect(response.statusCode).toBe(201);
    }
  });

  it('has the partner-cities forum (40 seats, programme, registrations) and a press conference', async () => {
    const list = await t.inject({ method: 'GET', url: '/api/events?when=upcoming' });
    const events = eventListSchema.parse(list.json()).items;
    expect(events.map((e) => e.type)).toEqual(['press_conference', 'forum']);
    const forum = events[1]!;
    expect(forum).toMatchObject({
      titleBg: 'Международен форум на градовете-партньори на Стара Загора',
      titleEn: 'International Forum of the Partner Cities of Stara Zagora',
      capacity: 40,
      seatsLeft: 35,
      registrationOpen: true,
    });
    const detail = eventSchema.parse(
      (await t.inject({ method: 'GET', url: `/api/events/${forum.id}` })).json(),
    );
    expect(detail.agenda).toHaveLength(5);
    expect(detail.questions.map((q) => q.kind)).toEqual(['text', 'choice', 'checkbox', 'consent']);
    // 10:00 in Sofia, whatever the season.
    const sofia = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Sofia',
      timeStyle: 'short',
    });
    expect(sofia.format(new Date(detail.startsAt))).toBe('10:00');
    expect(events[0]?.capacity).toBeNull();
  });

  it('has an open survey with every question type and answers, and a closed one with public results', async () => {
    const list = surveyListSchema.parse(
      (await t.inject({ method: 'GET', url: '/api/surveys' })).json(),
    ).items;
    const open = list.find((s) => s.titleBg === demoOpenSurveyTitle)!;
    const closed = list.find((s) => s.titleBg === demoClosedSurveyTitle)!;
    expect(open).toMatchObject({ open: true, resultsPublic: true, responseCount: 6 });
    expect(closed).toMatchObject({ state: 'closed', resultsPublic: true, responseCount: 4 });
    const detail = surveySchema.parse(
      (await t.inject({ method: 'GET', url: `/api/surveys/${open.id}` })).json(),
    );
    const kinds = new Set(detail.sections.flatMap((s) => s.questions.map((q) => q.kind)));
    expect([...kinds].sort()).toEqual(
      [
        'date',
        'long_text',
        'matrix',
        'multiple_choice',
        'number',
        'ranking',
        'scale',
        'short_text',
        'single_choice',
      ].sort(),
    );
    for (const survey of [open, closed]) {
      const results = await t.inject({ method: 'GET', url: `/api/surveys/${survey.id}/results` });
      expect(results.statusCode).toBe(200);
      expect(surveyResultsSchema.parse(results.json()).responseCount).toBe(survey.responseCount);
    }
  });

  it('changes nothing when seeded again', async () => {
    const surveysBefore = await t.app.db.select({ n: count() }).from(surveyResponses);
    const before = await t.app.db.select({ n: count() }).from(comments);
    const usersBefore = await t.app.db.select({ n: count() }).from(users);
    const registrationsBefore = await t.app.db.select({ n: count() }).from(registrations);
    await seedDemo(t.app.db);
    expect(await t.app.db.select({ n: count() }).from(registrations)).toEqual(registrationsBefore);
    expect(await t.app.db.select({ n: count() }).from(comments)).toEqual(before);
    expect(await t.app.db.select({ n: count() }).from(users)).toEqual(usersBefore);
    expect(await t.app.db.select({ n: count() }).from(surveyResponses)).toEqual(surveysBefore);
  });
});
