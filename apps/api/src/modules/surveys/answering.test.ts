import { randomUUID } from 'node:crypto';
import type { SurveyResponse } from '@sabor/contracts';
import { surveyAnswers, surveyResponses } from '@sabor/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { quickUsers, type QuickUser } from '../events/test-fixtures';
import { publishedSurvey, sampleAnswers, submit, type SampleIds } from './test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let people: QuickUser[];
let next = 0;
const person = () => people[next++]!;

beforeAll(async () => {
  t = await buildTestApp({ DATABASE_POOL_SIZE: '20' });
  admin = await signUp(t, { role: 'admin' });
  people = await quickUsers(t, 60, 'survey');
}, 120_000);
afterAll(() => t.close());

type Fields = Record<string, { code: string; message: string }>;
const fieldsOf = (response: { json: <T>() => T }) =>
  response.json<{ error: { code: string; fields?: Fields } }>().error;

describe('answering: validation of every question type', () => {
  let surveyId: string;
  let ids: SampleIds;
  beforeAll(async () => {
    const created = await publishedSurvey(t, admin.cookie);
    surveyId = created.survey.id;
    ids = created.ids;
  });

  /** Name, the question and answer to put in a valid submission, and the expected field code. */
  const bad: [string, (i: SampleIds) => [string, unknown], string][] = [
    [
      'single choice: two options',
      (i) => [i.single, { optionIds: [i.yes, i.no] }],
      'too_many_choices',
    ],
    [
      'single choice: unknown option',
      (i) => [i.single, { optionIds: [randomUUID()] }],
      'unknown_option',
    ],
    [
      'multiple: too many',
      (i) => [i.multiple, { optionIds: [i.bus, i.bike, i.car] }],
      'too_many_choices',
    ],
    [
      'multiple: "other" not allowed',
      (i) => [i.multiple, { optionIds: [i.bus], other: 'такси' }],
      'other_not_allowed',
    ],
    ['multiple: duplicate', (i) => [i.multiple, { optionIds: [i.bus, i.bus] }], 'invalid'],
    ['short text: a line break', (i) => [i.short, { text: 'а\nб' }], 'too_long'],
    ['number: below range', (i) => [i.number, { number: -1 }], 'too_small'],
    ['number: above range', (i) => [i.number, { number: 121 }], 'too_big'],
    ['number: wrong field', (i) => [i.number, { text: '12' }], 'invalid'],
    ['date: not a date', (i) => [i.date, { date: '2026-02-30' }], 'invalid_date'],
    ['date: other format', (i) => [i.date, { date: '01.03.2026' }], 'invalid_date'],
    ['scale: out of range', (i) => [i.scale, { number: 6 }], 'too_big'],
    ['scale: not a whole number', (i) => [i.scale, { number: 3.5 }], 'invalid'],
    [
      'ranking: missing one',
      (i) => [i.ranking, { ranking: [i.parks, i.roads] }],
      'ranking_incomplete',
    ],
    [
      'ranking: repeated',
      (i) => [i.ranking, { ranking: [i.parks, i.parks, i.roads] }],
      'ranking_incomplete',
    ],
    [
      'ranking: unknown',
      (i) => [i.ranking, { ranking: [i.parks, i.roads, randomUUID()] }],
      'unknown_option',
    ],
    [
      'matrix: missing row',
      (i) => [i.matrix, { matrix: { [i.rowWeb]: i.colGood } }],
      'matrix_incomplete',
    ],
    [
      'matrix: unknown column',
      (i) => [i.matrix, { matrix: { [i.rowWeb]: i.colGood, [i.rowPhone]: i.yes } }],
      'unknown_option',
    ],
    ['unknown question', () => [randomUUID(), { text: 'x' }], 'invalid'],
  ];

  for (const [name, make, code] of bad) {
    it(`refuses ${name} (${code}), keyed by question id, in both languages`, async () => {
      const [questionId, answer] = make(ids);
      const answers: Record<string, unknown> = { ...sampleAnswers(ids), [questionId]: answer };
      const response = await submit(t, surveyId, answers, { cookie: person().cookie });
      expect(response.statusCode).toBe(400);
      const error = fieldsOf(response);
      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fields!)).toEqual([questionId]);
      expect(error.fields![questionId]!.code).toBe(code);
      expect(error.fields![questionId]!.message).toMatch(/[а-я]/);
    });
  }

  it('names every missing required question, with English messages on request', async () => {
    const response = await t.inject({
      method: 'POST',
      url: `/api/surveys/${surveyId}/responses`,
      cookie: `${person().cookie}; sabor_locale=en`,
      payload: { answers: { [ids.single]: { optionIds: [ids.no] } } },
    });
    expect(response.statusCode).toBe(400);
    const error = fieldsOf(response);
    // "why" is required and shown because the answer was "no".
    expect(error.fields).toEqual({
      [ids.why]: { code: 'required', message: 'This field is required.' },
    });
  });

  it('drops answers to questions hidden by their condition, stores the rest', async () => {
    const answers = { ...sampleAnswers(ids), [ids.why]: { text: 'скрит отговор' } };
    const response = await submit(t, surveyId, answers, { cookie: person().cookie });
    expect(response.statusCode).toBe(201);
    const stored = response.json<SurveyResponse>();
    expect(stored.answers[ids.why]).toBeUndefined();
    const rows = await t.app.db
      .select()
      .from(surveyAnswers)
      .where(eq(surveyAnswers.responseId, stored.id));
    expect(rows.map((r) => r.questionId).sort()).toEqual(Object.keys(sampleAnswers(ids)).sort());
  });

  it('accepts "other" where allowed and treats empty fields as no answer', async () => {
    const answers = {
      [ids.single]: { other: 'Отчасти' },
      [ids.multiple]: { optionIds: [] },
      [ids.short]: { text: '   ' },
    };
    const response = await submit(t, surveyId, answers, { cookie: person().cookie });
    expect(response.statusCode).toBe(201);
    expect(response.json<SurveyResponse>().answers).toEqual({ [ids.single]: { other: 'Отчасти' } });
  });

  it('refuses hostile input without storing anything', async () => {
    const cookie = person().cookie;
    const hostile = [
      { answers: { [ids.single]: { optionIds: [ids.yes], sql: "'; drop table surveys; --" } } },
      { answers: { [ids.short]: { text: 'a\u0000b' } } },
      { answers: { [ids.long]: { text: 'x'.repeat(5001) } } },
      { answers: { [ids.number]: { number: '12' } } },
      { answers: [] },
      { answers: { [ids.single]: 'yes' } },
      { answers: Object.fromEntries(Array.from({ length: 201 }, () => [randomUUID(), {}])) },
    ];
    for (const payload of hostile) {
      const response = await t.inject({
        method: 'POST',
        url: `/api/surveys/${surveyId}/responses`,
        cookie,
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
    }
    const response = await t.inject({
      method: 'GET',
      url: `/api/surveys/${surveyId}/response`,
      cookie,
    });
    expect(response.statusCode).toBe(404);
    // Too many answers are refused by the contract, before any question is looked at.
    const flood = await t.inject({
      method: 'POST',
      url: `/api/surveys/${surveyId}/responses`,
      cookie,
      payload: {
        answers: Object.fromEntries(Array.from({ length: 201 }, () => [randomUUID(), {}])),
      },
    });
    expect(Object.keys(fieldsOf(flood).fields!)).toEqual(['answers']);
  });
});

describe('answering: one response per account', () => {
  it('under 20 concurrent submits by the same account, one wins and the rest get 409', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie);
    const me = person();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        submit(t, survey.id, sampleAnswers(ids), { cookie: me.cookie }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    for (const r of results.filter((r) => r.statusCode === 409))
      expect(fieldsOf(r).code).toBe('survey_already_answered');
    const rows = await t.app.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.surveyId, survey.id));
    expect(rows).toHaveLength(1);
  });

  it('replays a retried submission with the same Idempotency-Key instead of refusing it', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie);
    const me = person();
    const send = () =>
      t.inject({
        method: 'POST',
        url: `/api/surveys/${survey.id}/responses`,
        cookie: me.cookie,
        headers: { 'idempotency-key': `survey-retry-${survey.id}` },
        payload: { answers: sampleAnswers(ids) },
      });
    const first = await send();
    const retry = await send();
    expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
    expect(retry.json<SurveyResponse>().id).toBe(first.json<SurveyResponse>().id);
  });

  it('is editable until the survey closes and refused after', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie);
    const me = person();
    expect((await submit(t, survey.id, sampleAnswers(ids), { cookie: me.cookie })).statusCode).toBe(
      201,
    );
    const changed = { ...sampleAnswers(ids), [ids.scale]: { number: 2 } };
    const edit = await submit(t, survey.id, changed, { cookie: me.cookie, method: 'PUT' });
    expect(edit.statusCode).toBe(200);
    const mine = await t.inject({
      method: 'GET',
      url: `/api/surveys/${survey.id}/response`,
      cookie: me.cookie,
    });
    expect(mine.json<SurveyResponse>().answers[ids.scale]).toEqual({ number: 2 });

    await t.inject({
      method: 'POST',
      url: `/api/admin/surveys/${survey.id}/close`,
      cookie: admin.cookie,
    });
    const late = await submit(t, survey.id, sampleAnswers(ids), {
      cookie: me.cookie,
      method: 'PUT',
    });
    expect(late.statusCode).toBe(409);
    expect(fieldsOf(late).code).toBe('survey_not_open');
    const newcomer = await submit(t, survey.id, sampleAnswers(ids), { cookie: person().cookie });
    expect(newcomer.statusCode).toBe(409);
  });

  it('needs an account on residents-only surveys and refuses drafts and surveys not yet open', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie);
    expect((await submit(t, survey.id, sampleAnswers(ids))).statusCode).toBe(401);
    const later = await publishedSurvey(t, admin.cookie, {
      opensAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(
      (await submit(t, later.survey.id, sampleAnswers(later.ids), { cookie: person().cookie }))
        .statusCode,
    ).toBe(409);
    expect((await submit(t, randomUUID(), {}, { cookie: person().cookie })).statusCode).toBe(404);
  });
});

describe('answering: open surveys, browsers and paper', () => {
  it('takes one response per browser (signed cookie), editable with the same cookie', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    const first = await submit(t, survey.id, sampleAnswers(ids));
    expect(first.statusCode).toBe(201);
    const cookie = first.cookies.find((c) => c.name === 'sabor_survey');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const again = await submit(t, survey.id, sampleAnswers(ids), {
      cookie: `sabor_survey=${cookie!.value}`,
    });
    expect(again.statusCode).toBe(409);
    const edit = await submit(t, survey.id, sampleAnswers(ids), {
      cookie: `sabor_survey=${cookie!.value}`,
      method: 'PUT',
    });
    expect(edit.statusCode).toBe(200);
    // A forged cookie is someone new, not the owner of that response.
    const forged = `sabor_survey=${cookie!.value.split('.')[0]}.AAAA`;
    expect(
      (await submit(t, survey.id, sampleAnswers(ids), { cookie: forged, method: 'PUT' }))
        .statusCode,
    ).toBe(404);
  });

  it('answers a filled honeypot with 201 and stores nothing', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    const response = await submit(t, survey.id, sampleAnswers(ids), {
      website: 'http://spam.example',
    });
    expect(response.statusCode).toBe(201);
    const rows = await t.app.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.surveyId, survey.id));
    expect(rows).toHaveLength(0);
  });

  it('rate-limits anonymous submissions per client address', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    const codes: number[] = [];
    for (let i = 0; i < 32; i += 1) {
      const response = await t.inject({
        method: 'POST',
        url: `/api/surveys/${survey.id}/responses`,
        remoteAddress: '192.0.2.77',
        payload: { answers: sampleAnswers(ids) },
      });
      codes.push(response.statusCode);
    }
    expect(codes.filter((c) => c === 201)).toHaveLength(30);
    expect(codes.slice(30)).toEqual([429, 429]);
  });

  it('lets staff enter paper responses, validated like any other, marked as paper', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie);
    const url = `/api/admin/surveys/${survey.id}/paper-responses`;
    const payload = { answers: sampleAnswers(ids) };
    expect(
      (await t.inject({ method: 'POST', url, payload, cookie: person().cookie })).statusCode,
    ).toBe(403);
    for (let i = 0; i < 2; i += 1) {
      const response = await t.inject({ method: 'POST', url, payload, cookie: admin.cookie });
      expect(response.statusCode).toBe(201);
      expect(response.json<SurveyResponse>().source).toBe('paper');
    }
    const invalid = await t.inject({
      method: 'POST',
      url,
      cookie: admin.cookie,
      payload: { answers: {} },
    });
    expect(invalid.statusCode).toBe(400);
  });
});
