import type { Locale, SurveyQuestionResult, SurveyResults } from '@sabor/contracts';
import { surveyAnswers, surveyResponses, type Executor, type SurveyAnswerValue } from '@sabor/db';
import { stringify } from 'csv-stringify/sync';
import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import { notFound } from '../../errors';
import { recordAudit } from '../audit/record';
import { ApiError } from '../../errors';
import {
  loadStructure,
  questionsOf,
  type StructureQuestion,
  type SurveyStructure,
} from './structure';

/** Free-text answers listed per question in results; the CSV has them all. */
export const maxListedTexts = 200;

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

interface AnswerRow {
  id: string;
  questionId: string;
  value: SurveyAnswerValue;
  hidden: boolean;
  source: 'online' | 'paper';
}

function questionResult(
  q: StructureQuestion,
  rows: AnswerRow[],
  staff: boolean,
): SurveyQuestionResult {
  const result: SurveyQuestionResult = { questionId: q.id, kind: q.kind, answered: rows.length };
  const texts = (pick: (v: SurveyAnswerValue) => string | undefined) => {
    const all = rows
      .filter((r) => pick(r.value) !== undefined && (staff || !r.hidden))
      .map((r) => ({ answerId: r.id, text: pick(r.value)!, hidden: r.hidden, source: r.source }));
    result.textCount = all.length;
    result.texts = all.slice(0, maxListedTexts);
  };
  const options = q.options.filter((o) => o.role === 'option');
  switch (q.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const counts = new Map(options.map((o) => [o.id, 0]));
      let other = 0;
      for (const { value } of rows) {
        for (const id of value.optionIds ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
        if (value.other !== undefined) other += 1;
      }
      const percent = (n: number) => (rows.length ? round1((n * 100) / rows.length) : 0);
      result.options = options.map((o) => ({
        optionId: o.id,
        count: counts.get(o.id) ?? 0,
        percent: percent(counts.get(o.id) ?? 0),
      }));
      if (q.allowOther) {
        result.otherCount = other;
        texts((v) => v.other);
      }
      break;
    }
    case 'short_text':
    case 'long_text':
      texts((v) => v.text);
      break;
    case 'date': {
      const counts = new Map<string, number>();
      for (const { value } of rows) counts.set(value.date!, (counts.get(value.date!) ?? 0) + 1);
      break;
    }
    case 'number':
    case 'scale': {
      const values = rows.map((r) => r.value.number!).filter((n) => typeof n === 'number');
      const counts = new Map<number, number>();
      for (const n of values) counts.set(n, (counts.get(n) ?? 0) + 1);
      if (q.kind === 'scale' && q.min !== null && q.max !== null) {
        for (let n = q.min; n <= q.max; n += 1) counts.set(n, counts.get(n) ?? 0);
      }
      result.average = values.length
        ? round2(values.reduce((a, b) => a + b, 0) / values.length)
        : null;
      result.distribution = [...counts]
        .sort(([a], [b]) => a - b)
        .slice(0, 200)
        .map(([value, n]) => ({ value, count: n }));
      break;
    }
    case 'ranking': {
      const sums = new Map(options.map((o) => [o.id, 0]));
      for (const { value } of rows) {
        value.ranking?.forEach((id, index) => sums.set(id, (sums.get(id) ?? 0) + index + 1));
      }
      result.averageRanks = options
        .map((o) => ({
          optionId: o.id,
          averageRank: rows.length ? round2((sums.get(o.id) ?? 0) / rows.length) : 0,
        }))
        .sort((a, b) => a.averageRank - b.averageRank);
      break;
    }
    case 'matrix': {
      const cells = new Map<string, number>();
      for (const { value } of rows) {
        for (const [row, column] of Object.entries(value.matrix ?? {})) {
          const key = `${row}/${column}`;
          cells.set(key, (cells.get(key) ?? 0) + 1);
        }
      }
      const rowsOf = q.options.filter((o) => o.role === 'row');
      const columns = q.options.filter((o) => o.role === 'column');
      result.grid = rowsOf.flatMap((row) =>
        columns.map((column) => ({
          rowId: row.id,
          columnId: column.id,
          count: cells.get(`${row.id}/${column.id}`) ?? 0,
        })),
      );
      break;
    }
  }
  return result;
}

async function answerRows(db: Executor, surveyId: string): Promise<AnswerRow[]> {
  return db
    .select({
      id: surveyAnswers.id,
      questionId: surveyAnswers.questionId,
      value: surveyAnswers.value,
      hidden: surveyAnswers.hidden,
      source: surveyResponses.source,
    })
    .from(surveyAnswers)
    .innerJoin(surveyResponses, eq(surveyResponses.id, surveyAnswers.responseId))
    .where(eq(surveyResponses.surveyId, surveyId))
    .orderBy(desc(surveyResponses.submittedAt));
}

/**
 * Aggregated results. Staff see hidden free-text answers (marked); the public never does. Who may
 * call it is the route's business (resultsArePublic).
 */
export async function surveyResults(
  db: Executor,
  structure: SurveyStructure,
  staff: boolean,
): Promise<SurveyResults> {
  const surveyId = structure.survey.id;
  const rows = await answerRows(db, surveyId);
  const byQuestion = new Map<string, AnswerRow[]>();
  for (const row of rows) {
    const list = byQuestion.get(row.questionId) ?? [];
    list.push(row);
    byQuestion.set(row.questionId, list);
  }
  const tally = async (where?: ReturnType<typeof eq>) => {
    const [row] = await db
      .select({ n: count() })
      .from(surveyResponses)
      .where(and(eq(surveyResponses.surveyId, surveyId), where));
    return row?.n ?? 0;
  };
  return {
    surveyId,
    responseCount: await tally(),
    anonymousCount: await tally(isNotNull(surveyResponses.browserTokenHash)),
    paperCount: await tally(eq(surveyResponses.source, 'paper')),
    questions: questionsOf(structure).map((q) =>
      questionResult(q, byQuestion.get(q.id) ?? [], staff),
    ),
  };
}

const sourceLabels: Record<Locale, Record<'online' | 'paper', string>> = {
  bg: { online: 'онлайн', paper: 'хартия' },
  en: { online: 'online', paper: 'paper' },
};

/**
 * Every response as CSV: one row per response, one column per question (per option for multiple
 * choice and ranking, per row for matrix, plus an "other" column where allowed). UTF-8 with BOM,
 * CRLF, formula escaping as the consultation report. Hidden answers are left out (empty cells).
 */
export async function responsesCsv(
  db: Executor,
  structure: SurveyStructure,
  locale: Locale,
): Promise<string> {
  const label = (bg: string, en: string | null) => (locale === 'en' && en ? en : bg);
  const questions = questionsOf(structure);
  const columns: { header: string; cell: (answers: Map<string, SurveyAnswerValue>) => string }[] =
    [];
  questions.forEach((q, index) => {
    const title = `${index + 1}. ${label(q.textBg, q.textEn)}`;
    const get = (answers: Map<string, SurveyAnswerValue>) => answers.get(q.id);
    const options = q.options.filter((o) => o.role === 'option');
    const optionLabel = (id: string) => {
      const option = q.options.find((o) => o.id === id);
      return option ? label(option.labelBg, option.labelEn) : id;
    };
    switch (q.kind) {
      case 'single_choice':
        columns.push({
          header: title,
          cell: (a) => (get(a)?.optionIds ?? []).map(optionLabel).join(''),
        });
        break;
      case 'multiple_choice':
        for (const o of options) {
          columns.push({
            header: `${title}: ${label(o.labelBg, o.labelEn)}`,
            cell: (a) => (get(a)?.optionIds?.includes(o.id) ? '1' : ''),
          });
        }
        break;
      case 'ranking':
        for (const o of options) {
          columns.push({
            header: `${title}: ${label(o.labelBg, o.labelEn)}`,
            cell: (a) => {
              const rank = get(a)?.ranking?.indexOf(o.id) ?? -1;
              return rank >= 0 ? String(rank + 1) : '';
            },
          });
        }
        break;
      case 'matrix':
        for (const row of q.options.filter((o) => o.role === 'row')) {
          columns.push({
            header: `${title}: ${label(row.labelBg, row.labelEn)}`,
            cell: (a) => {
              const column = get(a)?.matrix?.[row.id];
              return column ? optionLabel(column) : '';
            },
          });
        }
        break;
      case 'number':
      case 'scale':
        columns.push({ header: title, cell: (a) => (get(a)?.number ?? '').toString() });
        break;
      case 'date':
        columns.push({ header: title, cell: (a) => get(a)?.date ?? '' });
        break;
      default:
        columns.push({ header: title, cell: (a) => get(a)?.text ?? '' });
    }
    if (q.allowOther) {
      columns.push({
        header: `${title}: ${locale === 'en' ? 'other' : 'друго'}`,
        cell: (a) => get(a)?.other ?? '',
      });
    }
  });
  const responses = await db
    .select()
    .from(surveyResponses)
    .where(eq(surveyResponses.surveyId, structure.survey.id))
    .orderBy(surveyResponses.submittedAt);
  const answers = await db
    .select({
      responseId: surveyAnswers.responseId,
      questionId: surveyAnswers.questionId,
      value: surveyAnswers.value,
    })
    .from(surveyAnswers)
    .innerJoin(surveyResponses, eq(surveyResponses.id, surveyAnswers.responseId))
    .where(and(eq(surveyResponses.surveyId, structure.survey.id), eq(surveyAnswers.hidden, false)));
  const byResponse = new Map<string, Map<string, SurveyAnswerValue>>();
  for (const a of answers) {
    const map = byResponse.get(a.responseId) ?? new Map<string, SurveyAnswerValue>();
    map.set(a.questionId, a.value);
    byResponse.set(a.responseId, map);
  }
  const fixed =
    locale === 'en' ? ['Response', 'Submitted', 'Source'] : ['Отговор', 'Подаден', 'Източник'];
  return stringify(
    responses.map((r) => {
      const own = byResponse.get(r.id) ?? new Map<string, SurveyAnswerValue>();
      return [
        r.id,
        r.submittedAt.toISOString(),
        sourceLabels[locale][r.source],
        ...columns.map((c) => c.cell(own)),
      ];
    }),
    {
      bom: true,
      header: true,
      columns: [...fixed, ...columns.map((c) => c.header)],
      record_delimiter: 'windows',
      quote_record_delimiter: true,
      escape_formulas: true,
    },
  );
}

/** A moderator hides (or shows again) a free-text answer; audited in the same transaction. */
export async function setAnswerHidden(
  db: Executor,
  actorId: string,
  answerId: string,
  hidden: boolean,
  reason: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [answer] = await tx
      .select()
      .from(surveyAnswers)
      .where(eq(surveyAnswers.id, answerId))
      .for('update');
    if (!answer) throw notFound();
    if (answer.value.text === undefined && answer.value.other === undefined)
      throw new ApiError(409, 'survey_invalid_state');
    await tx
      .update(surveyAnswers)
      .set(
        hidden
          ? { hidden: true, hiddenBy: actorId, hiddenAt: new Date() }
          : { hidden: false, hiddenBy: null, hiddenAt: null },
      )
      .where(eq(surveyAnswers.id, answerId));
    await recordAudit(tx, {
      actorId,
      action: hidden ? 'survey_answer_hidden' : 'survey_answer_restored',
      targetType: 'survey_answer',
      targetId: answerId,
      reason,
      details: { questionId: answer.questionId },
    });
  });
}

export async function structureOrNotFound(db: Executor, id: string): Promise<SurveyStructure> {
  const structure = await loadStructure(db, id);
  if (!structure) throw notFound();
  return structure;
}
