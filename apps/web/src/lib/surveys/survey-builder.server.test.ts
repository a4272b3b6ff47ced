import type { Survey } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  draftFromSurvey,
  draftToInput,
  keepTexts,
  newSurveyDraft,
  parseNumber,
  readSurveyForm,
} from './survey-builder.server';
import { conditionChoices, type SurveyDraft } from './survey-draft';

/** Predictable ids: 00000000-0000-4000-8000-00000000000N. */
function ids() {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}`;
}

const S = '11111111-1111-4111-8111-111111111111';
const Q1 = '22222222-2222-4222-8222-222222222221';
const Q2 = '22222222-2222-4222-8222-222222222222';
const O1 = '33333333-3333-4333-8333-333333333331';
const O2 = '33333333-3333-4333-8333-333333333332';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

const posted = form([
  ['titleBg', 'Анкета'],
  ['titleEn', ''],
  ['introBg', 'Въведение'],
  ['opensAt', '2026-04-01T10:00'],
  ['closesAt', ''],
  ['audience', 'anyone'],
  ['resultsVisibility', 'live'],
  ['sections.0.id', S],
  ['sections.0.titleBg', 'Раздел'],
  ['sections.0.questions.0.id', Q1],
  ['sections.0.questions.0.kind', 'single_choice'],
  ['sections.0.questions.0.required', 'on'],
  ['sections.0.questions.0.textBg', 'Цвят?'],
  ['sections.0.questions.0.allowOther', 'on'],
  ['sections.0.questions.0.options.0.id', O1],
  ['sections.0.questions.0.options.0.role', 'option'],
  ['sections.0.questions.0.options.0.labelBg', 'Син'],
  ['sections.0.questions.0.options.1.id', O2],
  ['sections.0.questions.0.options.1.role', 'option'],
  ['sections.0.questions.0.options.1.labelBg', 'Червен'],
  ['sections.0.questions.0.options.1.labelEn', 'Red'],
  ['sections.0.questions.1.id', Q2],
  ['sections.0.questions.1.kind', 'scale'],
  ['sections.0.questions.1.textBg', 'Оценка'],
  ['sections.0.questions.1.min', '1'],
  ['sections.0.questions.1.max', '5'],
  ['sections.0.questions.1.minLabelBg', 'Зле'],
  ['sections.0.questions.1.maxLabelBg', 'Добре'],
  ['sections.0.questions.1.showIf', `${Q1}:${O2}`],
]);

describe('readSurveyForm and draftToInput', () => {
  it('keeps the posted ids and order, and sends empty optional texts as null', () => {
    const draft = readSurveyForm(posted, ids());
    expect(draft.sections[0]?.questions.map((q) => q.id)).toEqual([Q1, Q2]);
    const result = draftToInput(draft);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const input = result.input;
    expect(input.titleEn).toBeNull();
    expect(input.audience).toBe('anyone');
    expect(input.opensAt).toBe('2026-04-01T10:00:00+03:00');
    expect(input.closesAt).toBeNull();
    const [choice, scale] = input.sections[0]!.questions;
    expect(choice).toMatchObject({ id: Q1, required: true, allowOther: true, helpBg: null });
    expect(choice?.options).toEqual([
      { id: O1, role: 'option', labelBg: 'Син', labelEn: null },
      { id: O2, role: 'option', labelBg: 'Червен', labelEn: 'Red' },
    ]);
    expect(scale).toMatchObject({
      min: 1,
      max: 5,
      minLabelBg: 'Зле',
      maxLabelEn: null,
      showIf: { questionId: Q1, optionIds: [O2] },
      options: [],
    });
  });

  it('gives a new id to anything posted without a valid one', () => {
    const draft = readSurveyForm(
      form([
        ['titleBg', 'x'],
        ['sections.0.id', 'not-a-uuid'],
      ]),
      ids(),
    );
    expect(draft.sections[0]?.id).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('reports numbers, dates and two-question conditions it cannot send', () => {
    const draft = readSurveyForm(posted, ids());
    const question = draft.sections[0]!.questions[1]!;
    question.min = 'едно';
    question.showIf = [`${Q1}:${O1}`, `${Q2}:${O2}`];
    draft.closesAt = '2026-02-30T10:00';
    const result = draftToInput(draft);
    expect(result).toEqual({
      ok: false,
      fields: {
        closesAt: 'invalid',
        'sections.0.questions.1.min': 'invalid',
        'sections.0.questions.1.showIf': 'invalid',
      },
    });
  });

  it('sends only the settings the kind uses', () => {
    const draft = readSurveyForm(posted, ids());
    draft.sections[0]!.questions[0]!.kind = 'short_text';
    const result = draftToInput(draft);
    if (!result.ok) throw new Error('expected a body');
    expect(result.input.sections[0]?.questions[0]).toMatchObject({
      allowOther: false,
      options: [],
      min: null,
    });
  });

  it('reads numbers with a decimal comma and refuses words', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber(' 2,5 ')).toBe(2.5);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('1e3')).toBeUndefined();
    expect(parseNumber('abc')).toBeUndefined();
  });

  it('round-trips a survey from the API', () => {
    const draft = readSurveyForm(posted, ids());
    const result = draftToInput(draft);
    if (!result.ok) throw new Error('expected a body');
    const survey = {
      ...result.input,
      sections: result.input.sections.map((s) => ({
        ...s,
        titleEn: s.titleEn ?? null,
        questions: s.questions.map((q) => ({ ...q })),
      })),
    } as unknown as Survey;
    const again = draftFromSurvey(survey);
    expect(again.sections[0]?.questions[1]?.showIf).toEqual([`${Q1}:${O2}`]);
    expect(again.opensAt).toBe('2026-04-01T10:00');
    expect(again.sections[0]?.questions[1]?.min).toBe('1');
  });
});

describe('applyCommand', () => {
  const base = (): SurveyDraft => readSurveyForm(posted, ids());

  it('adds a question of the chosen kind to the section, and focuses it', () => {
    const { draft, focus } = applyCommand(base(), `question.add:${S}`, {
      form: form([[`newKind.${S}`, 'matrix']]),
      newId: ids(),
    });
    const added = draft.sections[0]!.questions[2]!;
    expect(added.kind).toBe('matrix');
    expect(added.options.map((o) => o.role)).toEqual(['row', 'column']);
    expect(focus).toBe(added.id);
  });

  it('moves questions and options, not past the ends', () => {
    let draft = applyCommand(base(), `question.down:${Q1}`).draft;
    expect(draft.sections[0]?.questions.map((q) => q.id)).toEqual([Q2, Q1]);
    draft = applyCommand(draft, `question.down:${Q1}`).draft;
    expect(draft.sections[0]?.questions.map((q) => q.id)).toEqual([Q2, Q1]);
    draft = applyCommand(base(), `option.up:${O2}`).draft;
    expect(draft.sections[0]?.questions[0]?.options.map((o) => o.id)).toEqual([O2, O1]);
  });

  it('moves a question at a section’s edge into the next section, but not on a locked survey', () => {
    const two = applyCommand(base(), 'section.add', { newId: ids() }).draft;
    const second = two.sections[1]!;
    const order = (draft: SurveyDraft) => draft.sections.map((s) => s.questions.map((q) => q.id));
    const down = applyCommand(two, `question.down:${Q2}`).draft;
    expect(order(down)).toEqual([[Q1], [Q2, second.questions[0]!.id]]);
    const back = applyCommand(down, `question.up:${Q2}`).draft;
    expect(order(back)).toEqual([[Q1, Q2], [second.questions[0]!.id]]);
    expect(order(applyCommand(two, `question.down:${Q2}`, { locked: true }).draft)).toEqual(
      order(two),
    );
    expect(order(applyCommand(two, `question.up:${Q1}`).draft)).toEqual(order(two));
  });

  it('moves matrix rows among rows only', () => {
    let draft = applyCommand(base(), `question.add:${S}`, {
      form: form([[`newKind.${S}`, 'matrix']]),
    }).draft;
    const matrix = draft.sections[0]!.questions[2]!;
    draft = applyCommand(draft, `option.add:${matrix.id}:row`).draft;
    const roles = () => draft.sections[0]!.questions[2]!.options.map((o) => o.role);
    expect(roles()).toEqual(['row', 'column', 'row']);
    const lastRow = draft.sections[0]!.questions[2]!.options[2]!.id;
    draft = applyCommand(draft, `option.up:${lastRow}`).draft;
    expect(draft.sections[0]!.questions[2]!.options.map((o) => o.id)[0]).toBe(lastRow);
    expect(roles()).toEqual(['row', 'column', 'row']);
  });

  it('says what to focus: the button of a move, or the nearest thing to one removed', () => {
    expect(applyCommand(base(), `question.down:${Q1}`).focus).toBe(`question.down:${Q1}`);
    expect(applyCommand(base(), `question.remove:${Q2}`).focus).toBe(S);
    expect(applyCommand(base(), `option.remove:${O1}`).focus).toBe(Q1);
  });

  it('drops a condition whose option is removed', () => {
    const { draft } = applyCommand(base(), `option.remove:${O2}`);
    expect(draft.sections[0]?.questions[0]?.options.map((o) => o.id)).toEqual([O1]);
    expect(draft.sections[0]?.questions[1]?.showIf).toEqual([]);
  });

  it('changing the kind gives the question the options it needs', () => {
    const draft = base();
    draft.sections[0]!.questions[1]!.kind = 'ranking';
    const next = applyCommand(draft, `question.kind:${Q2}`, { newId: ids() }).draft;
    const ranking = next.sections[0]!.questions[1]!;
    expect(ranking.options).toHaveLength(2);
    expect(ranking.min).toBe('');
    next.sections[0]!.questions[0]!.kind = 'long_text';
    const text = applyCommand(next, `question.kind:${Q1}`).draft.sections[0]!.questions[0]!;
    expect(text).toMatchObject({ options: [], allowOther: false });
  });

  it('keeps at least one section; adds and moves sections', () => {
    const one = applyCommand(base(), `section.remove:${S}`).draft;
    expect(one.sections).toHaveLength(1);
    const two = applyCommand(one, 'section.add', { newId: ids() }).draft;
    expect(two.sections).toHaveLength(2);
    expect(two.sections[1]?.questions).toHaveLength(1);
    const swapped = applyCommand(two, `section.up:${two.sections[1]!.id}`).draft;
    expect(swapped.sections[1]?.id).toBe(S);
  });

  it('on a locked survey allows only reordering', () => {
    const draft = base();
    expect(applyCommand(draft, `question.remove:${Q1}`, { locked: true }).draft).toBe(draft);
    expect(applyCommand(draft, 'section.add', { locked: true }).draft).toBe(draft);
    const moved = applyCommand(draft, `question.down:${Q1}`, { locked: true }).draft;
    expect(moved.sections[0]?.questions[1]?.id).toBe(Q1);
  });

  it('ignores unknown commands', () => {
    const draft = base();
    expect(applyCommand(draft, 'survey.delete').draft.sections).toEqual(draft.sections);
  });
});

describe('keepTexts', () => {
  it('takes the meaning from the saved survey and the texts from the form', () => {
    const saved = readSurveyForm(posted, ids());
    const typed = readSurveyForm(posted, ids());
    typed.titleBg = 'Поправено заглавие';
    typed.sections[0]!.questions[0]!.kind = 'long_text';
    typed.sections[0]!.questions[0]!.textBg = 'Поправен въпрос';
    typed.sections[0]!.questions[0]!.options[1]!.labelBg = 'Алено';
    typed.sections[0]!.questions.pop();
    const shown = keepTexts(saved, typed);
    expect(shown.titleBg).toBe('Поправено заглавие');
    const [first, second] = shown.sections[0]!.questions;
    expect(first).toMatchObject({ kind: 'single_choice', textBg: 'Поправен въпрос' });
    expect(first?.options[1]?.labelBg).toBe('Алено');
    expect(second?.id).toBe(Q2);
  });
});

describe('conditionChoices', () => {
  it('offers only the options of earlier choice questions', () => {
    const draft = base2();
    expect(conditionChoices(draft, Q1)).toEqual([]);
    expect(conditionChoices(draft, Q2)).toEqual([
      {
        questionId: Q1,
        questionText: 'Цвят?',
        options: [
          { value: `${Q1}:${O1}`, label: 'Син' },
          { value: `${Q1}:${O2}`, label: 'Червен' },
        ],
      },
    ]);
  });
  function base2() {
    return readSurveyForm(posted, ids());
  }
});

describe('newSurveyDraft', () => {
  it('starts with one section holding one choice question with two options', () => {
    const draft = newSurveyDraft(ids());
    expect(draft.sections).toHaveLength(1);
    expect(draft.sections[0]?.questions[0]?.kind).toBe('single_choice');
    expect(draft.sections[0]?.questions[0]?.options).toHaveLength(2);
  });
});
