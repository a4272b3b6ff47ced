import type { SurveyQuestion, SurveyQuestionResult } from '@sabor/contracts';
import { describe, expect, it, vi } from 'vitest';
import {
  barLength,
  choiceRows,
  distributionRows,
  formatAverage,
  formatPercent,
  matrixGrid,
  percentOf,
  rankingRows,
  sectionsWithResults,
  throttle,
} from './results';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function question(overrides: Partial<SurveyQuestion>): SurveyQuestion {
  return {
    id: id(1),
    kind: 'single_choice',
    required: false,
    textBg: 'Въпрос',
    textEn: 'Question',
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
    ...overrides,
  };
}

const option = (n: number, labelBg: string, labelEn: string | null, role = 'option' as const) => ({
  id: id(n),
  role,
  labelBg,
  labelEn,
});

describe('number formats', () => {
  it('writes percentages with one decimal in the page language', () => {
    expect(formatPercent(42.9, 'bg')).toMatch(/^42,9\s?%$/);
    expect(formatPercent(42.9, 'en')).toBe('42.9%');
    expect(formatPercent(100, 'en')).toBe('100.0%');
  });

  it('writes averages with at most two decimals', () => {
    expect(formatAverage(3.6667, 'bg')).toBe('3,67');
    expect(formatAverage(2, 'en')).toBe('2');
  });

  it('computes shares to one decimal and never divides by zero', () => {
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(5, 0)).toBe(0);
  });

  it('clamps bar lengths to the chart', () => {
    expect(barLength(-3)).toBe(0);
    expect(barLength(150)).toBe(100);
    expect(barLength(Number.NaN)).toBe(0);
    expect(barLength(42.5)).toBe(42.5);
  });
});

describe('choiceRows', () => {
  const q = question({
    allowOther: true,
    options: [option(2, 'Да', 'Yes'), option(3, 'Не', null)],
  });
  const result: SurveyQuestionResult = {
    questionId: q.id,
    kind: 'single_choice',
    answered: 4,
    // The API's order is not the survey's: the survey's wins.
    options: [
      { optionId: id(3), count: 1, percent: 25 },
      { optionId: id(2), count: 2, percent: 50 },
    ],
    otherCount: 1,
  };

  it('lists options in the survey order with the API counts, then "other"', () => {
    const rows = choiceRows(q, result, 'en', { text: 'Other', lang: 'en' });
    expect(rows).toEqual([
      { key: id(2), label: { text: 'Yes', lang: 'en' }, count: 2, percent: 50 },
      { key: id(3), label: { text: 'Не', lang: 'bg' }, count: 1, percent: 25 },
      { key: 'other', label: { text: 'Other', lang: 'en' }, count: 1, percent: 25, other: true },
    ]);
  });

  it('shows an option nobody chose as zero', () => {
    const rows = choiceRows(q, { ...result, options: [] }, 'bg', { text: 'Друго', lang: 'bg' });
    expect(rows.map((r) => r.count)).toEqual([0, 0, 1]);
  });
});

describe('distributionRows', () => {
  it('labels the ends of a scale and gives each point its share', () => {
    const q = question({
      kind: 'scale',
      min: 1,
      max: 3,
      minLabelBg: 'Лошо',
      minLabelEn: 'Poor',
      maxLabelBg: 'Отлично',
      maxLabelEn: null,
    });
    const rows = distributionRows(
      q,
      {
        questionId: q.id,
        kind: 'scale',
        answered: 4,
        average: 2.25,
        distribution: [
          { value: 1, count: 1 },
          { value: 2, count: 1 },
          { value: 3, count: 2 },
        ],
      },
      'en',
    );
    expect(rows.map((r) => [r.label, r.count, r.percent])).toEqual([
      [{ text: '1 – Poor', lang: 'en' }, 1, 25],
      [{ text: '2', lang: 'en' }, 1, 25],
      [{ text: '3 – Отлично', lang: 'bg' }, 2, 50],
    ]);
  });

  it('formats number values in the page language', () => {
    const q = question({ kind: 'number' });
    const rows = distributionRows(
      q,
      { questionId: q.id, kind: 'number', answered: 1, distribution: [{ value: 2.5, count: 1 }] },
      'bg',
    );
    expect(rows[0]?.label).toEqual({ text: '2,5', lang: 'bg' });
  });
});

describe('rankingRows', () => {
  it('puts the lowest average rank first, ties in survey order', () => {
    const q = question({
      kind: 'ranking',
      options: [
        option(2, 'Пътища', 'Roads'),
        option(3, 'Бюджет', 'Budget'),
        option(4, 'Събития', 'Events'),
      ],
    });
    const rows = rankingRows(
      q,
      {
        questionId: q.id,
        kind: 'ranking',
        answered: 2,
        averageRanks: [
          { optionId: id(4), averageRank: 1.5 },
          { optionId: id(3), averageRank: 2.5 },
          { optionId: id(2), averageRank: 1.5 },
        ],
      },
      'en',
    );
    expect(rows.map((r) => [r.place, r.label.text, r.averageRank])).toEqual([
      [1, 'Roads', 1.5],
      [2, 'Events', 1.5],
      [3, 'Budget', 2.5],
    ]);
  });
});

describe('matrixGrid', () => {
  it('builds rows × columns with row shares', () => {
    const q = question({
      kind: 'matrix',
      options: [
        option(2, 'Сайт', 'Website', 'row' as 'option'),
        option(3, 'Добре', 'Well', 'column' as 'option'),
        option(4, 'Зле', 'Poorly', 'column' as 'option'),
      ].map((o, index) => ({ ...o, role: index === 0 ? 'row' : 'column' })),
    });
    const grid = matrixGrid(
      q,
      {
        questionId: q.id,
        kind: 'matrix',
        answered: 3,
        grid: [
          { rowId: id(2), columnId: id(3), count: 2 },
          { rowId: id(2), columnId: id(4), count: 1 },
        ],
      },
      'bg',
    );
    expect(grid.columns.map((c) => c.label.text)).toEqual(['Добре', 'Зле']);
    expect(grid.rows).toEqual([
      {
        key: id(2),
        label: { text: 'Сайт', lang: 'bg' },
        total: 3,
        cells: [
          { key: id(3), count: 2, percent: 66.7 },
          { key: id(4), count: 1, percent: 33.3 },
        ],
      },
    ]);
  });
});

describe('sectionsWithResults', () => {
  it('keeps the survey order and gives a question without results an empty one', () => {
    const q1 = question({ id: id(1) });
    const q2 = question({ id: id(2), kind: 'short_text' });
    const sections = sectionsWithResults(
      {
        sections: [{ id: id(9), titleBg: 'Част', titleEn: 'Part', questions: [q1, q2] }],
      },
      { questions: [{ questionId: id(1), kind: 'single_choice', answered: 3 }] },
      'en',
    );
    expect(sections[0]?.title).toEqual({ text: 'Part', lang: 'en' });
    expect(sections[0]?.questions.map((q) => q.result.answered)).toEqual([3, 0]);
    expect(sections[0]?.questions[1]?.result.kind).toBe('short_text');
  });
});

describe('throttle', () => {
  it('runs at once, then folds a burst into one run a second later', () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn();
      const reload = throttle(run, 1000);
      reload.trigger();
      expect(run).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 5; i += 1) reload.trigger();
      expect(run).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(999);
      expect(run).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1);
      expect(run).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(5000);
      expect(run).toHaveBeenCalledTimes(2);
      reload.trigger();
      expect(run).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a pending run when cancelled', () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn();
      const reload = throttle(run, 1000);
      reload.trigger();
      reload.trigger();
      reload.cancel();
      vi.advanceTimersByTime(2000);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
