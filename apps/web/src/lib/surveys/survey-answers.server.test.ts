import type { SurveyQuestion } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import {
  firstSectionWithError,
  localProblemsError,
  mergeSection,
  parseCarried,
  readAnswer,
  readAnswers,
  sectionIndex,
  submission,
} from './survey-answers.server';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function question(n: number, kind: SurveyQuestion['kind'], extra: Partial<SurveyQuestion> = {}) {
  return {
    id: id(n),
    kind,
    required: false,
    textBg: `Въпрос ${n}`,
    textEn: null,
    helpBg: null,
    helpEn: null,
    allowOther: false,
    min: null,
    max: null,
    minLabelBg: null,
    minLabelEn: null,
    maxLabelBg: null,
    maxLabelEn: null,
    showIf: null,
    options: [],
    ...extra,
  } satisfies SurveyQuestion;
}

const option = (n: number, role: 'option' | 'row' | 'column' = 'option') => ({
  id: id(n),
  role,
  labelBg: `Отговор ${n}`,
  labelEn: null,
});

const formOf = (entries: [string, string][]) => {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
};

describe('readAnswer', () => {
  const single = question(1, 'single_choice', {
    allowOther: true,
    options: [option(11), option(12)],
  });

  it('reads a chosen option, or "other" with its text', () => {
    expect(readAnswer(formOf([[`q.${single.id}`, id(12)]]), single)).toEqual({
      answer: { optionIds: [id(12)] },
    });
    const other = formOf([
      [`q.${single.id}`, '__other'],
      [`q.${single.id}.other`, ' Читалище '],
    ]);
    expect(readAnswer(other, single)).toEqual({ answer: { other: 'Читалище' } });
  });

  it('takes a typed "other" without its radio, and nothing from an empty form', () => {
    expect(readAnswer(formOf([[`q.${single.id}.other`, 'Съсед']]), single).answer).toEqual({
      other: 'Съсед',
    });
    expect(readAnswer(formOf([]), single)).toEqual({});
  });

  it('reads every ticked box of a multiple choice, plus "other"', () => {
    const multiple = question(2, 'multiple_choice', {
      allowOther: true,
      options: [option(21), option(22), option(23)],
    });
    const form = formOf([
      [`q.${multiple.id}`, id(21)],
      [`q.${multiple.id}`, id(23)],
      [`q.${multiple.id}`, '__other'],
      [`q.${multiple.id}.other`, 'Радио'],
    ]);
    expect(readAnswer(form, multiple).answer).toEqual({
      optionIds: [id(21), id(23)],
      other: 'Радио',
    });
  });

  it('keeps text as typed and leaves out blank text', () => {
    const text = question(3, 'short_text');
    const hostile = `<script>alert(1)</script>'; DROP TABLE x; --`;
    expect(readAnswer(formOf([[`q.${text.id}`, hostile]]), text).answer).toEqual({ text: hostile });
    expect(readAnswer(formOf([[`q.${text.id}`, '   ']]), text)).toEqual({});
  });

  it('reads numbers and scale points, and flags what is not a number', () => {
    const number = question(4, 'number');
    expect(readAnswer(formOf([[`q.${number.id}`, '12.5']]), number).answer).toEqual({
      number: 12.5,
    });
    expect(readAnswer(formOf([[`q.${number.id}`, 'дванайсет']]), number)).toEqual({
      problem: 'number',
    });
    const scale = question(5, 'scale', { min: 1, max: 5 });
    expect(readAnswer(formOf([[`q.${scale.id}`, '4']]), scale).answer).toEqual({ number: 4 });
  });

  it('reads a date as given (the API checks the calendar)', () => {
    const date = question(6, 'date');
    expect(readAnswer(formOf([[`q.${date.id}`, '2026-03-01']]), date).answer).toEqual({
      date: '2026-03-01',
    });
  });

  it('orders a ranking by the places chosen and refuses a place used twice', () => {
    const ranking = question(7, 'ranking', { options: [option(71), option(72), option(73)] });
    const place = (optionN: number, value: string): [string, string] => [
      `q.${ranking.id}.rank.${id(optionN)}`,
      value,
    ];
    expect(
      readAnswer(formOf([place(71, '3'), place(72, '1'), place(73, '2')]), ranking).answer,
    ).toEqual({ ranking: [id(72), id(73), id(71)] });
    expect(readAnswer(formOf([place(71, '1'), place(72, '1'), place(73, '2')]), ranking)).toEqual({
      problem: 'duplicateRank',
    });
    expect(readAnswer(formOf([place(71, ''), place(72, '')]), ranking)).toEqual({});
  });

  it('reads one column per matrix row', () => {
    const matrix = question(8, 'matrix', {
      options: [option(81, 'row'), option(82, 'row'), option(85, 'column'), option(86, 'column')],
    });
    const form = formOf([
      [`q.${matrix.id}.row.${id(81)}`, id(86)],
      [`q.${matrix.id}.row.${id(82)}`, id(85)],
    ]);
    expect(readAnswer(form, matrix).answer).toEqual({
      matrix: { [id(81)]: id(86), [id(82)]: id(85) },
    });
  });
});

describe('carrying answers between sections', () => {
  const first = question(1, 'single_choice', { options: [option(11), option(12)] });
  const follow = question(2, 'long_text', { showIf: { questionId: id(1), optionIds: [id(12)] } });
  const second = question(3, 'short_text');
  const survey = {
    sections: [
      { id: id(100), titleBg: 'Едно', titleEn: null, questions: [first, follow] },
      { id: id(101), titleBg: 'Две', titleEn: null, questions: [second] },
    ],
  };

  it('reads the carried JSON and ignores anything that is not answers', () => {
    expect(parseCarried(JSON.stringify({ [id(3)]: { text: 'а' } }))).toEqual({
      [id(3)]: { text: 'а' },
    });
    expect(parseCarried('{not json')).toEqual({});
    expect(parseCarried(JSON.stringify({ [id(3)]: { text: 'а', admin: true } }))).toEqual({});
  });

  it("replaces the section's answers with what its form holds now", () => {
    const carried = {
      [id(1)]: { optionIds: [id(12)] },
      [id(2)]: { text: 'старо' },
      [id(3)]: { text: 'б' },
    };
    const { answers } = readAnswers(formOf([[`q.${id(1)}`, id(11)]]), [first, follow]);
    expect(mergeSection(carried, [first, follow], answers)).toEqual({
      [id(1)]: { optionIds: [id(11)] },
      [id(3)]: { text: 'б' },
    });
  });

  it('sends only the answers to questions that are shown', () => {
    const answers = {
      [id(1)]: { optionIds: [id(11)] },
      [id(2)]: { text: 'скрит' },
      [id(3)]: { text: 'б' },
    };
    expect(submission(survey, answers)).toEqual({
      [id(1)]: { optionIds: [id(11)] },
      [id(3)]: { text: 'б' },
    });
  });

  it('goes back to the first section with an error', () => {
    expect(firstSectionWithError(survey, { [id(3)]: {}, [id(2)]: {} })).toBe(0);
    expect(firstSectionWithError(survey, { [id(3)]: {} })).toBe(1);
    expect(firstSectionWithError(survey, { answers: {} })).toBeNull();
    expect(firstSectionWithError(survey, undefined)).toBeNull();
  });

  it('keeps a posted section number within the survey', () => {
    expect(sectionIndex('1', 2)).toBe(1);
    expect(sectionIndex('7', 2)).toBe(1);
    expect(sectionIndex('-1', 2)).toBe(0);
    expect(sectionIndex('x', 2)).toBe(0);
  });
});

describe('localProblemsError', () => {
  it('words the problems in the page language', () => {
    const bg = localProblemsError('bg', { a: 'duplicateRank' });
    const en = localProblemsError('en', { a: 'number' });
    expect(bg.fields?.a?.message).toBe('Всяко място може да бъде избрано само веднъж.');
    expect(en.fields?.a?.message).toBe('Enter a number.');
    expect(en.code).toBe('validation_failed');
  });
});
