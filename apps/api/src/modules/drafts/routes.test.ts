import type { RecognisedDraft, Redline } from '@sabor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, buildTestApp, signUpEveryRole, type TestApp } from '../../../test/helper';

let t: TestApp;
let admin: Account;
let moderator: Account;
let resident: Account;

beforeAll(async () => {
  t = await buildTestApp();
  ({ admin, moderator, resident } = await signUpEveryRole(t));
}, 120_000);
afterAll(() => t.close());

const regulation = [
  'НАРЕДБА за обществените консултации в Община Стара Загора',
  'Глава първа',
  'ОБЩИ ПОЛОЖЕНИЯ',
  'Чл. 1. (1) С тази наредба се уреждат обществените консултации.',
  '(2) Консултациите са открити за всички жители.',
  'Чл. 2. Принципите са:',
  '1. откритост;',
  '2. отчетност.',
  'Чл. 4. Общината публикува проектите на сайта си.',
  'Заключителни разпоредби',
  '§ 1. Наредбата влиза в сила от деня на приемането ѝ.',
].join('\n');

const recognise = (text: string, cookie: string | undefined) =>
  t.inject({ method: 'POST', url: '/api/admin/drafts/recognise', cookie, payload: { text } });

describe('POST /api/admin/drafts/recognise', () => {
  it('answers staff with the tree of a pasted regulation and its numbering problems, in their language', async () => {
    const response = await recognise(regulation, admin.cookie);
    expect(response.statusCode).toBe(200);
    const draft = response.json<RecognisedDraft>();
    const [preamble, chapter, provisions] = draft.units;
    expect(preamble?.kind).toBe('preamble');
    expect(chapter).toMatchObject({ kind: 'chapter', anchor: 'glava-1', title: 'ОБЩИ ПОЛОЖЕНИЯ' });
    expect(chapter?.children.map((unit) => unit.label)).toEqual(['Чл. 1', 'Чл. 2', 'Чл. 4']);
    expect(chapter?.children[0]?.children.map((unit) => unit.anchor)).toEqual([
      'chl-1-al-1',
      'chl-1-al-2',
    ]);
    expect(provisions?.children.map((unit) => unit.label)).toEqual(['§ 1']);
    expect(draft.problems).toEqual([
      {
        code: 'numbering_skipped',
        line: 9,
        label: 'Чл. 4',
        expected: '3',
        found: '4',
        message: 'Чл. 4 (ред 9): очаква се номер 3, а е 4.',
      },
    ]);
    const inEnglish = `${admin.cookie}; sabor_locale=en`;
    const english = (await recognise(regulation, inEnglish)).json<RecognisedDraft>();
    expect(english.problems[0]?.message).toBe('Чл. 4 (line 9): number 3 was expected, not 4.');
  });

  it('says so when the text holds no structure at all', async () => {
    const draft = (
      await recognise('Какво да обсъди форумът на градовете партньори?', admin.cookie)
    ).json<RecognisedDraft>();
    expect(draft.problems.map((problem) => problem.code)).toEqual(['no_units_found']);
    expect(draft.problems[0]?.message).toContain('„Чл. 1.“');
  });

  it('is for admins only', async () => {
    expect((await recognise(regulation, undefined)).statusCode).toBe(401);
    expect((await recognise(regulation, resident.cookie)).statusCode).toBe(403);
    expect((await recognise(regulation, moderator.cookie)).statusCode).toBe(403);
  });

  it('refuses a body that is not text, and one over the request limit', async () => {
    const notText = await t.inject({
      method: 'POST',
      url: '/api/admin/drafts/recognise',
      cookie: admin.cookie,
      payload: { text: 42 },
    });
    expect(notText.statusCode).toBe(400);
    expect(notText.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const huge = await recognise('Чл. 1. Текст.\n'.repeat(80_000), admin.cookie);
    expect(huge.statusCode).toBe(413);
  });
});

describe('POST /api/admin/drafts/compare', () => {
  const compare = (before: string, after: string, cookie: string | undefined) =>
    t.inject({
      method: 'POST',
      url: '/api/admin/drafts/compare',
      cookie,
      payload: { before, after },
    });

  it('shows staff what changed between two versions, article by article', async () => {
    const revised = regulation
      .replace(
        'Чл. 2. Принципите са:',
        'Чл. 2. Общината се допитва до жителите.\nЧл. 3. Принципите са:',
      )
      .replace(
        'Чл. 4. Общината публикува проектите на сайта си.',
        'Чл. 4. Общината публикува проектите и справката на сайта си.',
      );
    const response = await compare(regulation, revised, admin.cookie);
    expect(response.statusCode).toBe(200);
    const redline = response.json<Redline>();
    expect(redline.summary).toMatchObject({ added: 1, changed: 1, deleted: 0, renumbered: 1 });
    const added = redline.entries.find((entry) => entry.status === 'added');
    expect(added?.after?.label).toBe('Чл. 2');
    const renumbered = redline.entries.find((entry) => entry.renumbered);
    expect([renumbered?.before?.label, renumbered?.after?.label, renumbered?.status]).toEqual([
      'Чл. 2',
      'Чл. 3',
      'unchanged',
    ]);
    const changed = redline.entries.find((entry) => entry.status === 'changed');
    expect(changed?.after?.anchor).toBe('chl-4');
    expect(
      changed?.segments.filter((segment) => segment.op === 'insert').map((s) => s.text.trim()),
    ).toEqual(['и справката']);
  });

  it('is for admins only, and refuses a missing version', async () => {
    expect((await compare(regulation, regulation, undefined)).statusCode).toBe(401);
    expect((await compare(regulation, regulation, resident.cookie)).statusCode).toBe(403);
    const missing = await t.inject({
      method: 'POST',
      url: '/api/admin/drafts/compare',
      cookie: admin.cookie,
      payload: { before: regulation },
    });
    expect(missing.statusCode).toBe(400);
  });
});
