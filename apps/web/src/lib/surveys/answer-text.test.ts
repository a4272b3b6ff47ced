import type { SurveyQuestion } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { answerLines } from './answer-text';

const option = (id: string, labelBg: string, role: 'option' | 'row' | 'column' = 'option') => ({
  id,
  role,
  labelBg,
  labelEn: `${labelBg} (en)`,
});
const question = (kind: SurveyQuestion['kind'], options = [option('a', 'Автобус')]) =>
  ({
    id: 'q',
    kind,
    required: false,
    textBg: 'Въпрос',
    textEn: null,
    helpBg: null,
    helpEn: null,
    allowOther: true,
    min: null,
    max: null,
    minLabelBg: null,
    minLabelEn: null,
    maxLabelBg: null,
    maxLabelEn: null,
    showIf: null,
    options,
  }) satisfies SurveyQuestion;

describe('answerLines', () => {
  it('reads choices back by their labels in the page language, with "other"', () => {
    expect(
      answerLines(
        question('multiple_choice'),
        { optionIds: ['a'], other: 'Тротинетка' },
        'bg',
        'Друго',
      ),
    ).toEqual(['Автобус', 'Друго: Тротинетка']);
    expect(answerLines(question('single_choice'), { optionIds: ['a'] }, 'en', 'Other')).toEqual([
      'Автобус (en)',
    ]);
  });

  it('reads numbers, dates, rankings and matrices as a person would', () => {
    expect(answerLines(question('number'), { number: 1234.5 }, 'bg', '')).toEqual(['1234,5']);
    expect(answerLines(question('date'), { date: '2026-03-01' }, 'en', '')).toEqual([
      '1 March 2026',
    ]);
    const ranking = question('ranking', [option('a', 'Паркове'), option('b', 'Пътища')]);
    expect(answerLines(ranking, { ranking: ['b', 'a'] }, 'bg', '')).toEqual([
      '1. Пътища',
      '2. Паркове',
    ]);
    const matrix = question('matrix', [
      option('r1', 'Сайт', 'row'),
      option('r2', 'Телефон', 'row'),
      option('c1', 'Добре', 'column'),
    ]);
    expect(answerLines(matrix, { matrix: { r1: 'c1' } }, 'bg', '')).toEqual(['Сайт: Добре']);
  });

  it('has nothing for a question left unanswered', () => {
    expect(answerLines(question('short_text'), undefined, 'bg', '')).toEqual([]);
    expect(answerLines(question('short_text'), { text: '' }, 'bg', '')).toEqual([]);
  });
});
