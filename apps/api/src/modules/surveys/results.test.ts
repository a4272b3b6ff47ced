import type { Survey, SurveyResponse, SurveyResults } from '@sabor/contracts';
import { auditLog, liveEvents } from '@sabor/db';
import { parse } from 'csv-parse/sync';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { quickUsers, type QuickUser } from '../events/test-fixtures';
import { publishedSurvey, sampleAnswers, submit, type SampleIds } from './test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let moderator: Awaited<ReturnType<typeof signUp>>;
let people: QuickUser[];
let next = 0;
const person = () => people[next++]!;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
  people = await quickUsers(t, 20, 'results');
}, 120_000);
afterAll(() => t.close());

const results = (id: string, cookie?: string) =>
  t.inject({ method: 'GET', url: `/api/surveys/${id}/results`, cookie });
const question = (r: SurveyResults, id: string) => r.questions.find((q) => q.questionId === id)!;

describe('survey results', () => {
  let survey: Survey;
  let ids: SampleIds;
  let tricky: SurveyResponse;
  beforeAll(async () => {
    ({ survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' }));
    const a = sampleAnswers(ids);
    await submit(t, survey.id, a, { cookie: person().cookie });
    await submit(
      t,
      survey.id,
      {
        ...a,
        [ids.single]: { optionIds: [ids.no] },
        [ids.why]: { text: 'Обадете ми се на 0888 123 456, Иван' },
        [ids.multiple]: { optionIds: [ids.bike] },
        [ids.scale]: { number: 2 },
        [ids.ranking]: { ranking: [ids.parks, ids.roads, ids.schools] },
      },
      { cookie: person().cookie },
    );
    // Anonymous, from a browser.
    await submit(t, survey.id, { ...a, [ids.single]: { other: 'Зависи' } });
    const paper = await t.inject({
      method: 'POST',
      url: `/api/admin/surveys/${survey.id}/paper-responses`,
      cookie: admin.cookie,
      payload: {
        answers: {
          ...a,
          [ids.long]: { text: 'Запетая, "кавички"\nи нов ред; =SUM(A1:A2)' },
          [ids.short]: { text: '+359 Стара Загора' },
        },
      },
    });
    tricky = paper.json<SurveyResponse>();
  });

  it('counts, averages, ranks and grids every question, marking anonymous and paper responses', async () => {
    const response = await results(survey.id);
    expect(response.statusCode).toBe(200);
    const r = response.json<SurveyResults>();
    expect(r).toMatchObject({ responseCount: 4, anonymousCount: 1, paperCount: 1 });
    expect(question(r, ids.single)).toMatchObject({
      answered: 4,
      otherCount: 1,
      options: [
        { optionId: ids.yes, count: 2, percent: 50 },
        { optionId: ids.no, count: 1, percent: 25 },
      ],
    });
    expect(question(r, ids.multiple).options).toEqual([
      { optionId: ids.bus, count: 3, percent: 75 },
      { optionId: ids.bike, count: 1, percent: 25 },
      { optionId: ids.car, count: 0, percent: 0 },
      { optionId: ids.walk, count: 3, percent: 75 },
    ]);
    const scale = question(r, ids.scale);
    expect(scale.average).toBe(3.5);
    expect(scale.distribution).toEqual([
      { value: 1, count: 0 },
      { value: 2, count: 1 },
      { value: 3, count: 0 },
      { value: 4, count: 3 },
      { value: 5, count: 0 },
    ]);
    expect(question(r, ids.ranking).averageRanks).toEqual([
      { optionId: ids.roads, averageRank: 1.25 },
      { optionId: ids.parks, averageRank: 1.75 },
      { optionId: ids.schools, averageRank: 3 },
    ]);
    expect(question(r, ids.matrix).grid).toContainEqual({
      rowId: ids.rowWeb,
      columnId: ids.colGood,
      count: 4,
    });
    expect(question(r, ids.why).texts).toHaveLength(1);
    expect(question(r, ids.date).dates).toEqual([{ date: '2026-03-01', count: 4 }]);
  });

  it('publishes the response count live on survey:<id> in the submission transaction', async () => {
    const events = await t.app.db
      .select()
      .from(liveEvents)
      .where(eq(liveEvents.topic, `survey:${survey.id}`))
      .orderBy(asc(liveEvents.id));
    expect(events.map((e) => e.payload)).toEqual(
      [1, 2, 3, 4].map((n) => ({ type: 'results_changed', responseCount: n })),
    );
  });

  it('lets a moderator hide a free-text answer: out of public results and the CSV, kept for staff, audited', async () => {
    const staffView = (await results(survey.id, moderator.cookie)).json<SurveyResults>();
    const answer = question(staffView, ids.why).texts![0]!;
    const hide = (cookie?: string) =>
      t.inject({
        method: 'POST',
        url: `/api/moderation/survey-answers/${answer.answerId}/hide`,
        cookie,
        payload: { reason: 'Телефонен номер' },
      });
    expect((await hide()).statusCode).toBe(401);
    expect((await hide(person().cookie)).statusCode).toBe(403);
    expect((await hide(moderator.cookie)).statusCode).toBe(200);

    const publicView = (await results(survey.id)).json<SurveyResults>();
    expect(question(publicView, ids.why)).toMatchObject({ texts: [], textCount: 0 });
    const staffAgain = (await results(survey.id, admin.cookie)).json<SurveyResults>();
    expect(question(staffAgain, ids.why).texts).toEqual([
      { ...answer, hidden: true, hiddenReason: 'Телефонен номер' },
    ]);
    // Hidden answers do not count for the public either: nobody reads "1 answered" above no text.
    expect(question(publicView, ids.why).answered).toBe(question(staffAgain, ids.why).answered - 1);
    const csv = await t.inject({
      method: 'GET',
      url: `/api/admin/surveys/${survey.id}/responses.csv`,
      cookie: admin.cookie,
    });
    expect(csv.body).not.toContain('0888 123 456');
    const [entry] = await t.app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, answer.answerId));
    expect(entry).toMatchObject({ action: 'survey_answer_hidden', reason: 'Телефонен номер' });
  });

  it('exports CSV that a parser reads back into the same values (commas, quotes, newlines, Cyrillic)', async () => {
    const response = await t.inject({
      method: 'GET',
      url: `/api/admin/surveys/${survey.id}/responses.csv`,
      cookie: admin.cookie,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(response.rawPayload, { bom: true }) as string[][];
    const header = rows[0]!;
    expect(rows).toHaveLength(5);
    const paper = rows.find((row) => row[0] === tricky.id)!;
    const cell = (title: string) => paper[header.findIndex((h) => h.includes(title))];
    expect(paper[2]).toBe('хартия');
    expect(cell('Предложения')).toBe('Запетая, "кавички"\nи нов ред; =SUM(A1:A2)');
    // A cell that starts like a formula gets a leading apostrophe.
    expect(cell('Квартал')).toBe("'+359 Стара Загора");
    expect(cell('Как пътувате?: Автобус')).toBe('1');
    expect(cell('Как пътувате?: Кола')).toBe('');
    expect(cell('Приоритети: Пътища')).toBe('1');
    expect(cell('Канали: Телефон')).toBe('Зле');
    expect(cell('Доволни ли сте?')).toBe('Да');
  });

  it('shows results to the public per the survey’s setting, to staff always', async () => {
    const afterClose = await publishedSurvey(t, admin.cookie, { resultsVisibility: 'after_close' });
    const never = await publishedSurvey(t, admin.cookie, { resultsVisibility: 'never' });
    expect((await results(afterClose.survey.id)).statusCode).toBe(403);
    expect((await results(afterClose.survey.id, person().cookie)).statusCode).toBe(403);
    expect((await results(afterClose.survey.id, moderator.cookie)).statusCode).toBe(200);
    await t.inject({
      method: 'POST',
      url: `/api/admin/surveys/${afterClose.survey.id}/close`,
      cookie: admin.cookie,
    });
    expect((await results(afterClose.survey.id)).statusCode).toBe(200);
    expect((await results(never.survey.id)).statusCode).toBe(403);
    expect((await results(never.survey.id, admin.cookie)).statusCode).toBe(200);
  });

  it('offers aggregated results as open JSON when they are public', async () => {
    const response = await t.inject({
      method: 'GET',
      url: `/api/surveys/${survey.id}/results.json`,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ survey: Survey; results: SurveyResults }>();
    expect(body.survey.id).toBe(survey.id);
    expect(body.results.responseCount).toBe(4);
    expect(JSON.stringify(body)).not.toContain('0888 123 456');
  });
});

describe('restoring a hidden survey answer', () => {
  it('shows it again in public results, only at a moderator’s hand, and audits it', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    const answers = {
      ...sampleAnswers(ids),
      [ids.long]: { text: 'Обадете ми се на 0899 000 111' },
    };
    expect((await submit(t, survey.id, answers, { cookie: person().cookie })).statusCode).toBe(201);
    const staffView = (await results(survey.id, moderator.cookie)).json<SurveyResults>();
    const answer = question(staffView, ids.long).texts![0]!;
    const act = (action: 'hide' | 'restore', cookie?: string) =>
      t.inject({
        method: 'POST',
        url: `/api/moderation/survey-answers/${answer.answerId}/${action}`,
        cookie,
        ...(action === 'hide' ? { payload: { reason: 'Телефонен номер' } } : {}),
      });
    expect((await act('hide', moderator.cookie)).statusCode).toBe(200);
    expect(question((await results(survey.id)).json<SurveyResults>(), ids.long).texts).toEqual([]);

    expect((await act('restore')).statusCode).toBe(401);
    expect((await act('restore', person().cookie)).statusCode).toBe(403);
    expect(question((await results(survey.id)).json<SurveyResults>(), ids.long).texts).toEqual([]);

    expect((await act('restore', moderator.cookie)).statusCode).toBe(200);
    const publicView = (await results(survey.id)).json<SurveyResults>();
    expect(question(publicView, ids.long)).toMatchObject({
      texts: [{ answerId: answer.answerId, text: 'Обадете ми се на 0899 000 111', hidden: false }],
      textCount: 1,
    });
    const entries = await t.app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, answer.answerId))
      .orderBy(asc(auditLog.createdAt));
    expect(entries.map((entry) => entry.action)).toEqual([
      'survey_answer_hidden',
      'survey_answer_restored',
    ]);
  });

  it('keeps an answer hidden, with its reason, when its author edits other answers', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    const author = person();
    const answers = { ...sampleAnswers(ids), [ids.long]: { text: 'Пишете ми на ivan@example.bg' } };
    await submit(t, survey.id, answers, { cookie: author.cookie });
    const staffView = (await results(survey.id, moderator.cookie)).json<SurveyResults>();
    const answer = question(staffView, ids.long).texts![0]!;
    await t.inject({
      method: 'POST',
      url: `/api/moderation/survey-answers/${answer.answerId}/hide`,
      cookie: moderator.cookie,
      payload: { reason: 'Имейл адрес' },
    });
    const edited = await submit(
      t,
      survey.id,
      { ...answers, [ids.short]: { text: 'Кольо Ганчев' } },
      { cookie: author.cookie, method: 'PUT' },
    );
    expect(edited.statusCode).toBe(200);
    const after = (await results(survey.id, moderator.cookie)).json<SurveyResults>();
    expect(question(after, ids.long).texts).toMatchObject([
      { text: 'Пишете ми на ivan@example.bg', hidden: true, hiddenReason: 'Имейл адрес' },
    ]);
    expect(question((await results(survey.id)).json<SurveyResults>(), ids.long).texts).toEqual([]);
  });

  it('answers 404 for an answer that does not exist', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/moderation/survey-answers/00000000-0000-4000-8000-000000000000/restore',
      cookie: moderator.cookie,
    });
    expect(response.statusCode).toBe(404);
  });
});
