import type { Locale, SurveyQuestionResult, SurveyResults } from '@sabor/contracts';
import {
  selectRows,
  surveyAnswers,
  surveyResponses,
  type Executor,
  type SurveyAnswerValue,
} from '@sabor/db';
import { stringify } from 'csv-stringify/sync';
import { and, eq, sql } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import { latestEventId } from '../../live/outbox';
import { recordAudit } from '../audit/record';
import {
  loadStructure,
  questionsOf,
  type StructureQuestion,
  type SurveyStructure,
} from './structure';
import { countAnswers, readTallies, responseTotals, type ResponseTotals } from './tallies';

/** Free-text answers listed per question in results; the CSV has them all. */
export const maxListedTexts = 200;

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

export interface TextRow {
  q: string;
  id: string;
  text: string;
  hidden: boolean;
  reason: string | null;
  source: 'online' | 'paper';
  submitted: Date | string;
}

/** The figures of a survey's results, per question (from the counters, or a scan in tests). */
export interface Tallies {
  answered: Map<string, { n: number; other: number }>;
  choices: Map<string, number>; // `${questionId}/${optionId}`
  numbers: Map<string, { value: number; n: number }[]>; // ascending values
  dates: Map<string, { date: string; count: number }[]>; // ascending dates
  ranks: Map<string, number>; // `${questionId}/${optionId}` → sum of positions
  cells: Map<string, number>; // `${questionId}/${rowId}/${columnId}`
  /** The newest free-text answers per question, at most maxListedTexts. */
  texts: Map<string, TextRow[]>;
}

const textKinds = new Set(['short_text', 'long_text']);
const listsTexts = (q: StructureQuestion) => textKinds.has(q.kind) || q.allowOther;

/**
 * The newest free-text answers (text, or the "other" of a choice) of each question, at most
 * maxListedTexts each: an index walk of survey_answers_texts_idx per question, whatever the number
 * of responses.
 */
async function listTexts(db: Executor, questionIds: string[], staff: boolean) {
  if (questionIds.length === 0) return [];
  const visible = staff ? sql`true` : sql`not a.hidden`;
  return selectRows<TextRow & Record<string, unknown>>(
    db,
    sql`select q.id as q, t.* from (values ${sql.join(
      questionIds.map((id) => sql`(${id}::uuid)`),
      sql`, `,
    )}) q(id)
        cross join lateral (
          select a.id, coalesce(a.value->>'text', a.value->>'other') as text, a.hidden,
                 a.hidden_reason as reason, r.source, a.submitted_at as submitted
            from survey_answers a join survey_responses r on r.id = a.response_id
           where a.question_id = q.id and a.value ?| array['text', 'other'] and ${visible}
           order by a.submitted_at desc nulls last, a.id
           limit ${maxListedTexts}) t
       order by q.id, t.submitted desc, t.id`,
  );
}

/** Reads the results' figures from the counters, and the free-text lists. */
async function countedTallies(
  db: Executor,
  structure: SurveyStructure,
  staff: boolean,
): Promise<Tallies> {
  const questions = questionsOf(structure);
  const counters = await readTallies(
    db,
    questions.map((q) => q.id),
    staff,
  );
  const texts = await listTexts(
    db,
    questions.filter(listsTexts).map((q) => q.id),
    staff,
  );
  const tallies: Tallies = {
    answered: new Map(),
    choices: new Map(),
    numbers: new Map(),
    dates: new Map(),
    ranks: new Map(),
    cells: new Map(),
    texts: new Map(),
  };
  const answeredOf = (q: string) => {
    const answered = tallies.answered.get(q) ?? { n: 0, other: 0 };
    tallies.answered.set(q, answered);
    return answered;
  };
  const append = <T>(map: Map<string, T[]>, q: string, entry: T) => {
    const list = map.get(q);
    if (list) list.push(entry);
    else map.set(q, [entry]);
  };
  for (const c of counters) {
    const key = `${c.questionId}/${c.item}`;
    switch (c.figure) {
      case 'answered':
        answeredOf(c.questionId).n = c.count;
        break;
      case 'other':
        answeredOf(c.questionId).other = c.count;
        break;
      case 'option':
        tallies.choices.set(key, c.count);
        break;
      case 'number':
        append(tallies.numbers, c.questionId, { value: Number(c.item), n: c.count });
        break;
      case 'date':
        append(tallies.dates, c.questionId, { date: c.item, count: c.count });
        break;
      case 'rank':
        tallies.ranks.set(key, (tallies.ranks.get(key) ?? 0) + Number(c.detail) * c.count);
        break;
      case 'cell':
        tallies.cells.set(`${key}/${c.detail}`, c.count);
        break;
    }
  }
  for (const [q, groups] of tallies.numbers) {
    // Counters keep numbers as written (`2.50` apart from `2.5`); results group them by value.
    const byValue = new Map<number, number>();
    for (const g of groups) byValue.set(g.value, (byValue.get(g.value) ?? 0) + g.n);
    tallies.numbers.set(
      q,
      [...byValue].sort(([a], [b]) => a - b).map(([value, n]) => ({ value, n })),
    );
  }
  for (const [q, dates] of tallies.dates) {
    tallies.dates.set(
      q,
      dates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).slice(0, 366),
    );
  }
  for (const r of texts) append(tallies.texts, r.q, r);
  return tallies;
}

function questionResult(q: StructureQuestion, t: Tallies): SurveyQuestionResult {
  const answered = t.answered.get(q.id)?.n ?? 0;
  const result: SurveyQuestionResult = { questionId: q.id, kind: q.kind, answered };
  const listTexts = () => {
    // Every answer to a text question has a text; a choice answer has one when it has "other".
    result.textCount = textKinds.has(q.kind) ? answered : (t.answered.get(q.id)?.other ?? 0);
    result.texts = (t.texts.get(q.id) ?? []).map((r) => ({
      answerId: r.id,
      text: r.text,
      hidden: r.hidden,
      hiddenReason: r.hidden ? r.reason : null,
      source: r.source,
      submittedAt: new Date(r.submitted).toISOString(),
    }));
  };
  const options = q.options.filter((o) => o.role === 'option');
  switch (q.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const percent = (n: number) => (answered ? round1((n * 100) / answered) : 0);
      result.options = options.map((o) => {
        const n = t.choices.get(`${q.id}/${o.id}`) ?? 0;
        return { optionId: o.id, count: n, percent: percent(n) };
      });
      if (q.allowOther) {
        result.otherCount = t.answered.get(q.id)?.other ?? 0;
        listTexts();
      }
      break;
    }
    case 'short_text':
    case 'long_text':
      listTexts();
      break;
    case 'date':
      result.dates = t.dates.get(q.id) ?? [];
      break;
    case 'number':
    case 'scale': {
      const groups = t.numbers.get(q.id) ?? [];
      const counts = new Map(groups.map((g) => [g.value, g.n]));
      if (q.kind === 'scale' && q.min !== null && q.max !== null) {
        for (let n = q.min; n <= q.max; n += 1) counts.set(n, counts.get(n) ?? 0);
      }
      const total = groups.reduce((sum, g) => sum + g.n, 0);
      result.average = total
        ? round2(groups.reduce((sum, g) => sum + g.value * g.n, 0) / total)
        : null;
      result.distribution = [...counts]
        .sort(([a], [b]) => a - b)
        .slice(0, 200)
        .map(([value, n]) => ({ value, count: n }));
      break;
    }
    case 'ranking':
      result.averageRanks = options
        .map((o) => ({
          optionId: o.id,
          averageRank: answered ? round2((t.ranks.get(`${q.id}/${o.id}`) ?? 0) / answered) : 0,
        }))
        .sort((a, b) => a.averageRank - b.averageRank);
      break;
    case 'matrix': {
      const columns = q.options.filter((o) => o.role === 'column');
      result.grid = q.options
        .filter((o) => o.role === 'row')
        .flatMap((row) =>
          columns.map((column) => ({
            rowId: row.id,
            columnId: column.id,
            count: t.cells.get(`${q.id}/${row.id}/${column.id}`) ?? 0,
          })),
        );
      break;
    }
  }
  return result;
}

/** The results from their figures and the response totals. */
export function resultsFrom(
  structure: SurveyStructure,
  tallies: Tallies,
  totals: ResponseTotals,
  lastEventId: number,
): SurveyResults {
  return {
    surveyId: structure.survey.id,
    ...totals,
    questions: questionsOf(structure).map((q) => questionResult(q, tallies)),
    lastEventId,
  };
}

/**
 * Aggregated results, read from the counters (tallies.ts): a few rows per question and an index
 * walk per free-text list, whatever the number of responses. Staff see hidden free-text answers
 * (marked) and count them; the public does neither. Who may call it is the route's business
 * (resultsArePublic).
 */
export async function surveyResults(
  db: Executor,
  structure: SurveyStructure,
  staff: boolean,
): Promise<SurveyResults> {
  const surveyId = structure.survey.id;
  const lastEventId = await latestEventId(db);
  const tallies = await countedTallies(db, structure, staff);
  const totals = (await responseTotals(db, [surveyId])).get(surveyId)!;
  return resultsFrom(structure, tallies, totals, lastEventId);
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
          ? { hidden: true, hiddenBy: actorId, hiddenAt: new Date(), hiddenReason: reason }
          : { hidden: false, hiddenBy: null, hiddenAt: null, hiddenReason: null },
      )
      .where(eq(surveyAnswers.id, answerId));
    if (answer.hidden !== hidden) {
      const { questionId, value } = answer;
      await countAnswers(tx, [
        { questionId, value, hidden: answer.hidden, sign: -1 },
        { questionId, value, hidden, sign: 1 },
      ]);
    }
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
