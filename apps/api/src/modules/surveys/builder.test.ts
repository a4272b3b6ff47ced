import { randomUUID } from 'node:crypto';
import type { Survey, SurveyInput } from '@sabor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, buildTestApp, signUpEveryRole, type TestApp } from '../../../test/helper';
import {
  createSurvey,
  publishedSurvey,
  sampleAnswers,
  sampleIds,
  sampleSurvey,
  submit,
} from './test-fixtures';

let t: TestApp;
let admin: Account;
let moderator: Account;
let resident: Account;

beforeAll(async () => {
  t = await buildTestApp();
  ({ admin, moderator, resident } = await signUpEveryRole(t));
}, 120_000);
afterAll(() => t.close());

describe('survey builder', () => {
  it('creates a draft with every question type in order, hidden from the public until published', async () => {
    const ids = sampleIds();
    const survey = await createSurvey(t, admin.cookie, sampleSurvey(ids));
    expect(survey.state).toBe('draft');
    expect(survey.sections.map((s) => s.id)).toEqual([ids.s1, ids.s2]);
    expect(survey.sections.flatMap((s) => s.questions.map((q) => q.kind))).toEqual([
      'single_choice',
      'long_text',
      'multiple_choice',
      'short_text',
      'long_text',
      'number',
      'date',
      'scale',
      'ranking',
      'matrix',
    ]);
    expect((await t.inject({ method: 'GET', url: `/api/surveys/${survey.id}` })).statusCode).toBe(
      404,
    );
    const published = await t.inject({
      method: 'POST',
      url: `/api/admin/surveys/${survey.id}/publish`,
      cookie: admin.cookie,
    });
    expect(published.json<Survey>()).toMatchObject({ state: 'published', open: true });
    const seen = await t.inject({ method: 'GET', url: `/api/surveys/${survey.id}` });
    expect(seen.statusCode).toBe(200);
  });

  it('refuses structures that make no sense, per field', async () => {
    const ids = sampleIds();
    const input = sampleSurvey(ids);
    const [first, second] = input.sections;
    // A condition on a later question, options on a text question, an empty ranking, a bad scale.
    first!.questions[0]!.showIf = { questionId: ids.ranking, optionIds: [ids.parks] };
    first!.questions[3]!.options = [{ id: randomUUID(), labelBg: 'x' }];
    second!.questions[3]!.options = [];
    second!.questions[2]!.max = 1;
    const response = await t.inject({
      method: 'POST',
      url: '/api/admin/surveys',
      cookie: admin.cookie,
      payload: input,
    });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json<{ error: { fields: object } }>().error.fields).sort()).toEqual(
      [
        'sections.0.questions.0.showIf',
        'sections.0.questions.3.options',
        'sections.1.questions.2.max',
        'sections.1.questions.3.options',
      ],
    );
  });

  it('refuses ids that belong to another survey', async () => {
    const ids = sampleIds();
    await createSurvey(t, admin.cookie, sampleSurvey(ids));
    const response = await t.inject({
      method: 'POST',
      url: '/api/admin/surveys',
      cookie: admin.cookie,
      payload: sampleSurvey(ids),
    });
    expect(response.statusCode).toBe(400);
  });

  it('reorders, edits and removes questions freely before the first response', async () => {
    const ids = sampleIds();
    const input = sampleSurvey(ids);
    const survey = await createSurvey(t, admin.cookie, input);
    const section = input.sections[1]!;
    section.questions = [...section.questions].reverse().slice(1); // matrix removed, the rest reversed
    section.questions[0]!.textBg = 'Канали за връзка';
    const response = await t.inject({
      method: 'PUT',
      url: `/api/admin/surveys/${survey.id}`,
      cookie: admin.cookie,
      payload: input,
    });
    expect(response.statusCode).toBe(200);
    const questions = response.json<Survey>().sections[1]!.questions;
    expect(questions.map((q) => q.id)).toEqual([ids.ranking, ids.scale, ids.date, ids.number]);
    expect(questions[0]!.textBg).toBe('Канали за връзка');
  });

  it('locks the structure once a response exists: texts and order may change, meaning may not', async () => {
    const { survey, ids, input } = await publishedSurvey(t, admin.cookie);
    expect(
      (await submit(t, survey.id, sampleAnswers(ids), { cookie: resident.cookie })).statusCode,
    ).toBe(201);
    const put = (payload: SurveyInput) =>
      t.inject({
        method: 'PUT',
        url: `/api/admin/surveys/${survey.id}`,
        cookie: admin.cookie,
        payload,
      });

    const corrected = structuredClone(input);
    corrected.sections[0]!.questions[0]!.textBg = 'Доволни ли сте от комуникацията?';
    corrected.sections[0]!.questions[0]!.options!.reverse();
    const ok = await put(corrected);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<Survey>()).toMatchObject({ structureLocked: true, responseCount: 1 });

    const kind = structuredClone(input);
    kind.sections[0]!.questions[3]!.kind = 'long_text';
    const removed = structuredClone(input);
    removed.sections[1]!.questions.pop();
    const added = structuredClone(input);
    added.sections[0]!.questions[0]!.options!.push({ id: randomUUID(), labelBg: 'Може би' });
    const range = structuredClone(input);
    range.sections[1]!.questions[2]!.max = 10;
    for (const changed of [kind, removed, added, range]) {
      const response = await put(changed);
      expect(response.statusCode).toBe(409);
      expect(response.json<{ error: { code: string } }>().error.code).toBe(
        'survey_structure_locked',
      );
    }
  });

  it('duplicates a survey into a draft with new ids and conditions that follow the copies', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie);
    const response = await t.inject({
      method: 'POST',
      url: `/api/admin/surveys/${survey.id}/duplicate`,
      cookie: admin.cookie,
    });
    expect(response.statusCode).toBe(201);
    const copy = response.json<Survey>();
    expect(copy).toMatchObject({ state: 'draft', responseCount: 0 });
    const questions = copy.sections.flatMap((s) => s.questions);
    expect(questions.map((q) => q.id)).not.toContain(ids.single);
    const single = questions[0]!;
    expect(questions[1]!.showIf).toEqual({
      questionId: single.id,
      optionIds: [single.options[1]!.id],
    });
  });

  it('closes a published survey once, and a closed one is not edited', async () => {
    const { survey, input } = await publishedSurvey(t, admin.cookie);
    const close = () =>
      t.inject({
        method: 'POST',
        url: `/api/admin/surveys/${survey.id}/close`,
        cookie: admin.cookie,
      });
    expect((await close()).json<Survey>()).toMatchObject({ state: 'closed', open: false });
    expect((await close()).statusCode).toBe(409);
    const edit = await t.inject({
      method: 'PUT',
      url: `/api/admin/surveys/${survey.id}`,
      cookie: admin.cookie,
      payload: input,
    });
    expect(edit.statusCode).toBe(409);
  });

  it('renders the introduction and thank-you Markdown to safe HTML, script tags as text', async () => {
    const survey = await createSurvey(t, admin.cookie, {
      ...sampleSurvey(sampleIds()),
      introBg: '## Защо питаме\n\n<script>alert(1)</script> [връзка](javascript:alert(1))',
      introEn: null,
      thankYouBg: '**Благодарим!**',
    });
    expect(survey.introBgHtml).toContain('<h2>Защо питаме</h2>');
    expect(survey.introBgHtml).not.toContain('<script');
    expect(survey.introBgHtml).toContain('&lt;script&gt;');
    expect(survey.introBgHtml).not.toContain('href="javascript:');
    expect(survey.introEnHtml).toBeNull();
    expect(survey.thankYouBgHtml).toContain('<strong>Благодарим!</strong>');
  });

  it('refuses hostile builder input as a whole, writing nothing', async () => {
    const before = await t.inject({
      method: 'GET',
      url: '/api/admin/surveys',
      cookie: admin.cookie,
    });
    const hostile: unknown[] = [
      { ...sampleSurvey(sampleIds()), titleBg: 'Заглавие\u0000' },
      { ...sampleSurvey(sampleIds()), sections: [] },
      { ...sampleSurvey(sampleIds()), audience: 'everyone' },
      (() => {
        const input = sampleSurvey(sampleIds());
        input.sections[0]!.questions[0]!.id = 'not-a-uuid';
        return input;
      })(),
      (() => {
        const input = sampleSurvey(sampleIds());
        // The same id twice.
        input.sections[1]!.questions[0]!.id = input.sections[0]!.questions[0]!.id;
        return input;
      })(),
      (() => {
        const input = sampleSurvey(sampleIds());
        input.sections[0]!.questions[0]!.kind = 'slider' as never;
        return input;
      })(),
    ];
    for (const payload of hostile) {
      const response = await t.inject({
        method: 'POST',
        url: '/api/admin/surveys',
        cookie: admin.cookie,
        payload: payload as SurveyInput,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
    const after = await t.inject({
      method: 'GET',
      url: '/api/admin/surveys',
      cookie: admin.cookie,
    });
    expect(after.json<{ items: unknown[] }>().items).toHaveLength(
      before.json<{ items: unknown[] }>().items.length,
    );
  });

  it('lets only admins use the builder', async () => {
    const ids = sampleIds();
    const routes = [
      { method: 'GET', url: '/api/admin/surveys' },
      { method: 'POST', url: '/api/admin/surveys', payload: sampleSurvey(ids) },
      { method: 'POST', url: `/api/admin/surveys/${randomUUID()}/publish` },
      { method: 'GET', url: `/api/admin/surveys/${randomUUID()}/responses.csv` },
    ] as const;
    for (const route of routes) {
      expect((await t.inject({ ...route })).statusCode).toBe(401);
      expect((await t.inject({ ...route, cookie: resident.cookie })).statusCode).toBe(403);
      expect((await t.inject({ ...route, cookie: moderator.cookie })).statusCode).toBe(403);
    }
    expect((await t.inject({ ...routes[0], cookie: admin.cookie })).statusCode).toBe(200);
  });
});
