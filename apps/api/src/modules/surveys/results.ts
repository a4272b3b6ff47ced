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

/** Free-text answers listed per question in results; the CSV has them all. */
export const maxListedTexts = 200;

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

interface TextRow {
  q: string;
  id: string;
  text: string;
  hidden: boolean;
  reason: string | null;
  source: 'online' | 'paper';
  submitted: Date | string;
  total: number;
}

/** What the database aggregated, per question (see aggregate). */
interface Tallies {
  answered: Map<string, { n: number; other: number }>;
  choices: Map<string, number>; // `${questionId}/${optionId}`
  numbers: Map<string, { value: number; n: number }[]>;
  dates: Map<string, { date: string; count: number }[]>;
  ranks: Map<string, number>; // `${questionId}/${optionId}` → sum of positions
  cells: Map<string, number>; // `${questionId}/${rowId}/${columnId}`
  texts: Map<string, TextRow[]>;
  textCounts: Map<string, number>;
}

/**
 * Aggregates in the database, one grouped query per kind of figure, so that results for tens of
 * thousands of responses cost a few scans instead of shipping every answer to the process.
 */
async function aggregate(
  db: Executor,
  structure: SurveyStructure,
  staff: boolean,
): Promise<Tallies> {
  const questions = questionsOf(structure);
  const idsOf = (keep: (q: StructureQuestion) => boolean) =>
    questions.filter(keep).map((q) => q.id);
  // The answers of one survey are those to its questions: no join with the responses needed.
  const among = (ids: string[]) =>
    sql`a.question_id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`;
  const when = async <T extends Record<string, unknown>>(
    ids: string[],
    query: (filter: ReturnType<typeof among>) => ReturnType<typeof sql>,
  ): Promise<T[]> => (ids.length ? selectRows<T>(db, query(among(ids))) : []);

  // Hidden answers (free text a moderator hid) do not count for the public at all.
  const visible = staff ? sql`true` : sql`not a.hidden`;
  const answered = await when<{ q: string; n: number; other: number }>(
    idsOf(() => true),
    (filter) => sql`select a.question_id as q, count(*)::int as n,
               count(*) filter (where a.value ? 'other')::int as other
          from survey_answers a where ${filter} and ${visible} group by a.question_id`,
  );
  const choices = await when<{ q: string; o: string; n: number }>(
    idsOf((q) => q.kind === 'single_choice' || q.kind === 'multiple_choice'),
    (filter) => sql`select a.question_id as q, o.value as o, count(*)::int as n
          from survey_answers a
          cross join lateral jsonb_array_elements_text(a.value->'optionIds') o
         where ${filter} and ${visible} and jsonb_typeof(a.value->'optionIds') = 'array'
         group by 1, 2`,
  );
  const numbers = await when<{ q: string; v: number; n: number }>(
    idsOf((q) => q.kind === 'number' || q.kind === 'scale'),
    (filter) => sql`select a.question_id as q, (a.value->>'number')::float8 as v, count(*)::int as n
          from survey_answers a where ${filter} and a.value ? 'number'
         group by 1, 2 order by 1, 2`,
  );
  const dates = await when<{ q: string; d: string; n: number }>(
    idsOf((q) => q.kind === 'date'),
    (filter) => sql`select a.question_id as q, a.value->>'date' as d, count(*)::int as n
          from survey_answers a where ${filter} and a.value ? 'date'
         group by 1, 2 order by 1, 2`,
  );
  const ranks = await when<{ q: string; o: string; total: number }>(
    idsOf((q) => q.kind === 'ranking'),
    (filter) => sql`select a.question_id as q, e.value as o, sum(e.ordinality)::float8 as total
          from survey_answers a
          cross join lateral jsonb_array_elements_text(a.value->'ranking') with ordinality e
         where ${filter} and jsonb_typeof(a.value->'ranking') = 'array'
         group by 1, 2`,
  );
  const cells = await when<{ q: string; row: string; col: string; n: number }>(
    idsOf((q) => q.kind === 'matrix'),
    (filter) => sql`select a.question_id as q, m.key as row, m.value as col, count(*)::int as n
          from survey_answers a
          cross join lateral jsonb_each_text(a.value->'matrix') m
         where ${filter} and jsonb_typeof(a.value->'matrix') = 'object'
         group by 1, 2, 3`,
  );
  const texts = await when<TextRow & Record<string, unknown>>(
    idsOf((q) => q.kind === 'short_text' || q.kind === 'long_text' || q.allowOther),
    (filter) => sql`select q, id, text, hidden, reason, source, submitted, total from (
          select a.question_id as q, a.id, coalesce(a.value->>'text', a.value->>'other') as text,
                 a.hidden, a.hidden_reason as reason, r.source, r.submitted_at as submitted,
                 row_number() over (partition by a.question_id
                                    order by r.submitted_at desc, a.id) as k,
                 count(*) over (partition by a.question_id)::int as total
            from survey_answers a join survey_responses r on r.id = a.response_id
           where ${filter} and (a.value ? 'text' or a.value ? 'other') and ${visible}
        ) t where k <= ${maxListedTexts} order by q, k`,
  );
  const tallies: Tallies = {
    answered: new Map(answered.map((r) => [r.q, { n: r.n, other: r.other }])),
    choices: new Map(choices.map((r) => [`${r.q}/${r.o}`, r.n])),
    numbers: new Map(),
    dates: new Map(),
    ranks: new Map(ranks.map((r) => [`${r.q}/${r.o}`, r.total])),
    cells: new Map(cells.map((r) => [`${r.q}/${r.row}/${r.col}`, r.n])),
    texts: new Map(),
    textCounts: new Map(),
  };
  for (const r of numbers) {
    const list = tallies.numbers.get(r.q) ?? [];
    list.push({ value: r.v, n: r.n });
    tallies.numbers.set(r.q, list);
  }
  for (const r of dates) {
    const list = tallies.dates.get(r.q) ?? [];
    if (list.length < 366) list.push({ date: r.d, count: r.n });
    tallies.dates.set(r.q, list);
  }
  for (const r of texts) {
    const list = tallies.texts.get(r.q) ?? [];
    list.push(r);
    tallies.texts.set(r.q, list);
    tallies.textCounts.set(r.q, r.total);
  }
  return tallies;
}

function questionResult(q: StructureQuestion, t: Tallies): SurveyQuestionResult {
  const answered = t.answered.get(q.id)?.n ?? 0;
  const result: SurveyQuestionResult = { questionId: q.id, kind: q.kind, answered };
  const listTexts = () => {
    result.textCount = t.textCounts.get(q.id) ?? 0;
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
  const lastEventId = await latestEventId(db);
  const tallies = await aggregate(db, structure, staff);
  const [totals] = await selectRows<{ n: number; anonymous: number; paper: number }>(
    db,
    sql`select count(*)::int as n,
               count(*) filter (where browser_token_hash is not null)::int as anonymous,
               count(*) filter (where source = 'paper')::int as paper
          from survey_responses where survey_id = ${surveyId}`,
  );
  return {
    surveyId,
    responseCount: totals?.n ?? 0,
    anonymousCount: totals?.anonymous ?? 0,
    paperCount: totals?.paper ?? 0,
    questions: questionsOf(structure).map((q) => questionResult(q, tallies)),
    lastEventId,
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
          ? { hidden: true, hiddenBy: actorId, hiddenAt: new Date(), hiddenReason: reason }
          : { hidden: false, hiddenBy: null, hiddenAt: null, hiddenReason: null },
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
