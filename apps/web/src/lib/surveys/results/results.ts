import type {
  Locale,
  Survey,
  SurveyQuestion,
  SurveyQuestionResult,
  SurveyResults,
} from '@sabor/contracts';
import { pick } from '$lib/events/event';

/*
 * What the results page shows, built from the survey's structure and its aggregated results: rows
 * for charts and tables, in the survey's order, with numbers formatted in the page's language.
 * Only types come from @sabor/contracts (components import this module; zod must stay out of the
 * browser bundle).
 */

/** The results page's load depends on this, so a live change reloads just that (invalidate). */
export const surveyResultsDependency = 'app:survey-results';

type Text = { text: string; lang: 'bg' | 'en' };

const intlLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocales[locale], options);
    numberFormats.set(key, format);
  }
  return format;
}

/** A share given as 0–100 (as the API sends it), with one decimal: "42,9 %" / "42.9%". */
export function formatPercent(percent: number, locale: Locale): string {
  return numberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(percent / 100);
}

/** An average or average rank: at most two decimals, none when whole ("3,67", "2"). */
export function formatAverage(value: number, locale: Locale): string {
  return numberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** `part` of `whole` as 0–100 with one decimal (0 when there is no whole). */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : 0;
}

/** The length of a bar for a share of 0–100, clamped (the SVG's viewBox is 100 wide). */
export function barLength(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, percent));
}

export interface BarRow {
  key: string;
  label: Text;
  count: number;
  /** 0–100, one decimal: of the people who answered the question. */
  percent: number;
  /** Set on the "other" row of a choice question. */
  other?: boolean;
}

/** Choice question: one row per option in the survey's order, then "Other" when allowed. */
export function choiceRows(
  question: SurveyQuestion,
  result: SurveyQuestionResult,
  locale: Locale,
  otherLabel: Text,
): BarRow[] {
  const counts = new Map((result.options ?? []).map((o) => [o.optionId, o]));
  const rows: BarRow[] = question.options
    .filter((o) => o.role === 'option')
    .map((o) => ({
      key: o.id,
      label: pick(o.labelBg, o.labelEn, locale),
      count: counts.get(o.id)?.count ?? 0,
      percent: counts.get(o.id)?.percent ?? 0,
    }));
  if (question.allowOther) {
    const count = result.otherCount ?? 0;
    rows.push({
      key: 'other',
      label: otherLabel,
      count,
      percent: percentOf(count, result.answered),
      other: true,
    });
  }
  return rows;
}

/**
 * Scale or number: one row per value (the API lists every point of a scale), the scale's end
 * labels beside its first and last points ("1 – Много лошо").
 */
export function distributionRows(
  question: SurveyQuestion,
  result: SurveyQuestionResult,
  locale: Locale,
): BarRow[] {
  const format = numberFormat(locale, { maximumFractionDigits: 10 });
  const endLabel = (value: number) => {
    if (question.kind !== 'scale') return null;
    if (value === question.min && question.minLabelBg)
      return pick(question.minLabelBg, question.minLabelEn, locale);
    if (value === question.max && question.maxLabelBg)
      return pick(question.maxLabelBg, question.maxLabelEn, locale);
    return null;
  };
  return (result.distribution ?? []).map(({ value, count }) => {
    const end = endLabel(value);
    return {
      key: String(value),
      label: end
        ? { text: `${format.format(value)} – ${end.text}`, lang: end.lang }
        : { text: format.format(value), lang: locale },
      count,
      percent: percentOf(count, result.answered),
    };
  });
}

export interface RankRow {
  key: string;
  label: Text;
  /** 1 is first. */
  averageRank: number;
  /** Position in the list, best first. */
  place: number;
}

/** Ranking: options by average rank, best (lowest) first; ties keep the survey's order. */
export function rankingRows(
  question: SurveyQuestion,
  result: SurveyQuestionResult,
  locale: Locale,
): RankRow[] {
  const order = new Map(question.options.map((o, index) => [o.id, index]));
  const labels = new Map(question.options.map((o) => [o.id, pick(o.labelBg, o.labelEn, locale)]));
  return [...(result.averageRanks ?? [])]
    .filter((r) => labels.has(r.optionId))
    .sort(
      (a, b) =>
        a.averageRank - b.averageRank ||
        (order.get(a.optionId) ?? 0) - (order.get(b.optionId) ?? 0),
    )
    .map((r, index) => ({
      key: r.optionId,
      label: labels.get(r.optionId)!,
      averageRank: r.averageRank,
      place: index + 1,
    }));
}

export interface MatrixGrid {
  columns: { key: string; label: Text }[];
  rows: {
    key: string;
    label: Text;
    /** People who answered this row. */
    total: number;
    cells: { key: string; count: number; percent: number }[];
  }[];
}

/** Matrix: rows × columns with counts and the share of the row's answers. */
export function matrixGrid(
  question: SurveyQuestion,
  result: SurveyQuestionResult,
  locale: Locale,
): MatrixGrid {
  const counts = new Map((result.grid ?? []).map((c) => [`${c.rowId}/${c.columnId}`, c.count]));
  const columns = question.options
    .filter((o) => o.role === 'column')
    .map((o) => ({ key: o.id, label: pick(o.labelBg, o.labelEn, locale) }));
  const rows = question.options
    .filter((o) => o.role === 'row')
    .map((row) => {
      const raw = columns.map((c) => counts.get(`${row.id}/${c.key}`) ?? 0);
      const total = raw.reduce((sum, n) => sum + n, 0);
      return {
        key: row.id,
        label: pick(row.labelBg, row.labelEn, locale),
        total,
        cells: columns.map((c, index) => ({
          key: c.key,
          count: raw[index]!,
          percent: percentOf(raw[index]!, total),
        })),
      };
    });
  return { columns, rows };
}

export interface QuestionWithResult {
  question: SurveyQuestion;
  result: SurveyQuestionResult;
}

export interface SectionWithResults {
  id: string;
  title: Text;
  questions: QuestionWithResult[];
}

/**
 * The survey's sections and questions in order, each question with its result (an empty one when
 * the API sent none, so a question added later still shows "no answers yet").
 */
export function sectionsWithResults(
  survey: Pick<Survey, 'sections'>,
  results: Pick<SurveyResults, 'questions'>,
  locale: Locale,
): SectionWithResults[] {
  const byQuestion = new Map(results.questions.map((r) => [r.questionId, r]));
  return survey.sections.map((section) => ({
    id: section.id,
    title: pick(section.titleBg, section.titleEn, locale),
    questions: section.questions.map((question) => ({
      question,
      result: byQuestion.get(question.id) ?? {
        questionId: question.id,
        kind: question.kind,
        answered: 0,
      },
    })),
  }));
}

/**
 * Calls `run` at most once per `intervalMs`: the first call runs at once, calls during the wait
 * are folded into one run at its end. Returns the trigger and a cancel for the pending run.
 */
export function throttle(
  run: () => void,
  intervalMs: number,
  timers: {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  } = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): { trigger(): void; cancel(): void } {
  let last = -Infinity;
  let pending: unknown = null;
  const fire = () => {
    pending = null;
    last = timers.now();
    run();
  };
  return {
    trigger() {
      if (pending !== null) return;
      const wait = last + intervalMs - timers.now();
      if (wait <= 0) fire();
      else pending = timers.setTimeout(fire, wait);
    },
    cancel() {
      if (pending !== null) timers.clearTimeout(pending);
      pending = null;
    },
  };
}
