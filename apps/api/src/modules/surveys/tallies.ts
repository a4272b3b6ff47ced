import {
  selectRows,
  surveyStats,
  type Executor,
  type SurveyAnswerValue,
  type SurveyTallyFigure,
} from '@sabor/db';
import { inArray, sql } from 'drizzle-orm';

/**
 * The counters behind survey results (`survey_stats` per survey, `survey_tallies` per question),
 * moved in the transaction of every write that changes a response or an answer's visibility:
 * submitting, editing, entering a paper form, hiding, restoring, the demo seed. Results then read
 * a few rows per question instead of every answer. Writers add to counters with upserts
 * (`n = n + …`), never read-modify-write, so concurrent submissions stay exact.
 */

/** An answer entering (+1) or leaving (-1) the counters, as visible or as hidden. */
export interface AnswerCount {
  questionId: string;
  value: SurveyAnswerValue;
  hidden: boolean;
  sign: 1 | -1;
}

/**
 * Moves the counters of the given answers in one statement. The figures of each answer come from
 * the SQL function `survey_answer_figures` (the same one the migration's backfill used). Counters
 * are summed per key first (an edit that keeps an answer touches nothing) and written in key order,
 * so two writers lock shared counters in the same order and cannot deadlock each other; that is
 * why every write makes exactly one call.
 */
export async function countAnswers(tx: Executor, changes: AnswerCount[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = JSON.stringify(
    changes.map((c) => ({
      q: c.questionId,
      v: c.value,
      visible: c.hidden ? 0 : c.sign,
      hidden: c.hidden ? c.sign : 0,
    })),
  );
  await tx.execute(sql`
    insert into survey_tallies as t
           (question_id, figure, item, detail, visible_count, hidden_count)
    select d.q, f.figure, f.item, f.detail, sum(d.visible)::int, sum(d.hidden)::int
      from jsonb_to_recordset(${rows}::jsonb) as d(q uuid, v jsonb, visible int, hidden int)
     cross join lateral survey_answer_figures(d.v) f
     group by 1, 2, 3, 4
    having sum(d.visible) <> 0 or sum(d.hidden) <> 0
     order by 1, 2, 3, 4
    on conflict (question_id, figure, item, detail) do update
       set visible_count = t.visible_count + excluded.visible_count,
           hidden_count = t.hidden_count + excluded.hidden_count`);
}

/** Adds a new response to its survey's totals (and locks them until the transaction ends). */
export async function countResponse(
  tx: Executor,
  surveyId: string,
  response: { anonymous: boolean; paper: boolean },
): Promise<void> {
  const anonymous = response.anonymous ? 1 : 0;
  const paper = response.paper ? 1 : 0;
  await tx
    .insert(surveyStats)
    .values({ surveyId, responseCount: 1, anonymousCount: anonymous, paperCount: paper })
    .onConflictDoUpdate({
      target: surveyStats.surveyId,
      set: {
        responseCount: sql`${surveyStats.responseCount} + 1`,
        anonymousCount: sql`${surveyStats.anonymousCount} + ${anonymous}`,
        paperCount: sql`${surveyStats.paperCount} + ${paper}`,
      },
    });
}

export interface ResponseTotals {
  responseCount: number;
  anonymousCount: number;
  paperCount: number;
}

/** The response totals of each given survey (zeros for one nobody answered). */
export async function responseTotals(
  db: Executor,
  surveyIds: string[],
): Promise<Map<string, ResponseTotals>> {
  const rows = surveyIds.length
    ? await db.select().from(surveyStats).where(inArray(surveyStats.surveyId, surveyIds))
    : [];
  const totals = new Map<string, ResponseTotals>(
    surveyIds.map((id) => [id, { responseCount: 0, anonymousCount: 0, paperCount: 0 }]),
  );
  for (const { surveyId, ...counts } of rows) totals.set(surveyId, counts);
  return totals;
}

export interface TallyRow {
  questionId: string;
  figure: SurveyTallyFigure;
  item: string;
  detail: string;
  /** Visible answers, plus hidden ones for staff; never 0. */
  count: number;
}

/** The non-zero counters of the given questions, as the public (visible answers) or staff see them. */
export async function readTallies(
  db: Executor,
  questionIds: string[],
  staff: boolean,
): Promise<TallyRow[]> {
  if (questionIds.length === 0) return [];
  const count = staff ? sql`visible_count + hidden_count` : sql`visible_count`;
  return selectRows<TallyRow & Record<string, unknown>>(
    db,
    sql`select question_id as "questionId", figure, item, detail, ${count} as count
          from survey_tallies
         where question_id in (${sql.join(
           questionIds.map((id) => sql`${id}`),
           sql`, `,
         )}) and ${count} > 0`,
  );
}
