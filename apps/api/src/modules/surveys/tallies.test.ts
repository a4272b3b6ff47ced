import type { SurveyResults } from '@sabor/contracts';
import { selectRows, type Executor } from '@sabor/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { quickUsers, type QuickUser } from '../events/test-fixtures';
import { maxListedTexts, resultsFrom, surveyResults, type Tallies, type TextRow } from './results';
import { loadStructure, questionsOf, type SurveyStructure } from './structure';
import { publishedSurvey, submit, type SampleIds } from './test-fixtures';

// The results read from counters must be exactly the results a full scan of the answers gives,
// whatever mix of submissions, edits, paper forms, hides and restores produced them, and however
// many of them ran at once (on PostgreSQL, truly concurrently).

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let moderator: Awaited<ReturnType<typeof signUp>>;
let people: QuickUser[];

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
  people = await quickUsers(t, 60, 'tallies');
}, 120_000);
afterAll(() => t.close());

/**
 * The reference: the results as the previous implementation computed them, with its queries:
 * grouped scans of every answer of the survey (hidden answers, which are always free text, leave
 * the public counts; staff see them).
 */
async function scannedResults(db: Executor, structure: SurveyStructure, staff: boolean) {
  const questions = questionsOf(structure);
  const ids = sql.join(
    questions.map((q) => sql`${q.id}::uuid`),
    sql`, `,
  );
  const filter = sql`a.question_id in (${ids})`;
  const visible = staff ? sql`true` : sql`not a.hidden`;
  const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
    selectRows<T>(db, query);
  const answered = await rows<{ q: string; n: number; other: number }>(
    sql`select a.question_id as q, count(*)::int as n,
               count(*) filter (where a.value ? 'other')::int as other
          from survey_answers a where ${filter} and ${visible} group by a.question_id`,
  );
  const choices = await rows<{ q: string; o: string; n: number }>(
    sql`select a.question_id as q, o.value as o, count(*)::int as n
          from survey_answers a
          cross join lateral jsonb_array_elements_text(a.value->'optionIds') o
         where ${filter} and ${visible} and jsonb_typeof(a.value->'optionIds') = 'array'
         group by 1, 2`,
  );
  const numbers = await rows<{ q: string; v: number; n: number }>(
    sql`select a.question_id as q, (a.value->>'number')::float8 as v, count(*)::int as n
          from survey_answers a where ${filter} and a.value ? 'number'
         group by 1, 2 order by 1, 2`,
  );
  const dates = await rows<{ q: string; d: string; n: number }>(
    sql`select a.question_id as q, a.value->>'date' as d, count(*)::int as n
          from survey_answers a where ${filter} and a.value ? 'date'
         group by 1, 2 order by 1, 2`,
  );
  const ranks = await rows<{ q: string; o: string; total: number }>(
    sql`select a.question_id as q, e.value as o, sum(e.ordinality)::float8 as total
          from survey_answers a
          cross join lateral jsonb_array_elements_text(a.value->'ranking') with ordinality e
         where ${filter} and jsonb_typeof(a.value->'ranking') = 'array'
         group by 1, 2`,
  );
  const cells = await rows<{ q: string; row: string; col: string; n: number }>(
    sql`select a.question_id as q, m.key as row, m.value as col, count(*)::int as n
          from survey_answers a
          cross join lateral jsonb_each_text(a.value->'matrix') m
         where ${filter} and jsonb_typeof(a.value->'matrix') = 'object'
         group by 1, 2, 3`,
  );
  const texts = await rows<TextRow & Record<string, unknown>>(
    sql`select q, id, text, hidden, reason, source, submitted from (
          select a.question_id as q, a.id, coalesce(a.value->>'text', a.value->>'other') as text,
                 a.hidden, a.hidden_reason as reason, r.source, r.submitted_at as submitted,
                 row_number() over (partition by a.question_id
                                    order by r.submitted_at desc, a.id) as k
            from survey_answers a join survey_responses r on r.id = a.response_id
           where ${filter} and (a.value ? 'text' or a.value ? 'other') and ${visible}
        ) t where k <= ${maxListedTexts} order by q, k`,
  );
  const group = <R, T>(list: R[], q: (r: R) => string, entry: (r: R) => T) => {
    const map = new Map<string, T[]>();
    for (const r of list) map.set(q(r), [...(map.get(q(r)) ?? []), entry(r)]);
    return map;
  };
  const tallies: Tallies = {
    answered: new Map(answered.map((r) => [r.q, { n: r.n, other: r.other }])),
    choices: new Map(choices.map((r) => [`${r.q}/${r.o}`, r.n])),
    numbers: group(
      numbers,
      (r) => r.q,
      (r) => ({ value: r.v, n: r.n }),
    ),
    dates: group(
      dates,
      (r) => r.q,
      (r) => ({ date: r.d, count: r.n }),
    ),
    ranks: new Map(ranks.map((r) => [`${r.q}/${r.o}`, r.total])),
    cells: new Map(cells.map((r) => [`${r.q}/${r.row}/${r.col}`, r.n])),
    texts: group(
      texts,
      (r) => r.q,
      (r) => r,
    ),
  };
  for (const [q, list] of tallies.dates) tallies.dates.set(q, list.slice(0, 366));
  const [totals] = await rows<{
    responseCount: number;
    anonymousCount: number;
    paperCount: number;
  }>(
    sql`select count(*)::int as "responseCount",
               count(*) filter (where browser_token_hash is not null)::int as "anonymousCount",
               count(*) filter (where source = 'paper')::int as "paperCount"
          from survey_responses where survey_id = ${structure.survey.id}`,
  );
  return resultsFrom(structure, tallies, totals!, 0);
}

/** The counters as kept, beside a recount of every answer by the migration's backfill query. */
async function keptAndRecounted(db: Executor, structure: SurveyStructure) {
  const ids = sql.join(
    questionsOf(structure).map((q) => sql`${q.id}::uuid`),
    sql`, `,
  );
  const kept = await selectRows(
    db,
    sql`select question_id, figure, item, detail, visible_count, hidden_count from survey_tallies
         where question_id in (${ids}) and (visible_count <> 0 or hidden_count <> 0)
         order by 1, 2, 3, 4`,
  );
  const recounted = await selectRows(
    db,
    sql`select a.question_id, f.figure, f.item, f.detail,
               count(*) filter (where not a.hidden)::int as visible_count,
               count(*) filter (where a.hidden)::int as hidden_count
          from survey_answers a cross join lateral survey_answer_figures(a.value) f
         where a.question_id in (${ids})
         group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
  );
  return { kept, recounted };
}

async function expectCountersMatchScan(surveyId: string) {
  const structure = (await loadStructure(t.app.db, surveyId))!;
  for (const staff of [false, true]) {
    const counted: SurveyResults = await surveyResults(t.app.db, structure, staff);
    expect({ ...counted, lastEventId: 0 }).toEqual(
      await scannedResults(t.app.db, structure, staff),
    );
  }
  const { kept, recounted } = await keptAndRecounted(t.app.db, structure);
  expect(kept).toEqual(recounted);
}

/** A small seeded generator, so a failing mix can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: T[]): T => list[below(list.length)]!;
  const chance = (p: number) => next() < p;
  const shuffled = <T>(list: T[]) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = below(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  return { below, pick, chance, shuffled };
}
type Random = ReturnType<typeof random>;

/** Random valid answers to the sample survey; some optional questions left out. */
function randomAnswers(ids: SampleIds, r: Random) {
  const texts = ['Железник', 'Повече пейки', 'Тел. 0888 123 456', 'Зависи', 'Не знам'];
  const answers: Record<string, unknown> = {};
  const single = r.pick(['yes', 'no', 'other'] as const);
  answers[ids.single] =
    single === 'other' ? { other: r.pick(texts) } : { optionIds: [ids[single]] };
  if (single === 'no') answers[ids.why] = { text: r.pick(texts) };
  if (r.chance(0.8))
    answers[ids.multiple] = {
      optionIds: r.shuffled([ids.bus, ids.bike, ids.car, ids.walk]).slice(0, 1 + r.below(2)),
    };
  if (r.chance(0.6)) answers[ids.short] = { text: r.pick(texts) };
  if (r.chance(0.6)) answers[ids.long] = { text: r.pick(texts) };
  if (r.chance(0.8)) answers[ids.number] = { number: r.pick([0, 2.5, 7, 12, 12, 40, 119.75]) };
  if (r.chance(0.7)) answers[ids.date] = { date: `2026-0${1 + r.below(3)}-1${r.below(3)}` };
  if (r.chance(0.9)) answers[ids.scale] = { number: 1 + r.below(5) };
  if (r.chance(0.8))
    answers[ids.ranking] = { ranking: r.shuffled([ids.parks, ids.roads, ids.schools]) };
  if (r.chance(0.8))
    answers[ids.matrix] = {
      matrix: {
        [ids.rowWeb]: r.pick([ids.colGood, ids.colBad]),
        [ids.rowPhone]: r.pick([ids.colGood, ids.colBad]),
      },
    };
  return answers;
}

/** Changes a few of the answers, keeping the rest (a hidden text kept as written stays hidden). */
function editedAnswers(ids: SampleIds, r: Random, before: Record<string, unknown>) {
  const fresh = randomAnswers(ids, r);
  const edited = { ...before };
  for (const id of [ids.multiple, ids.short, ids.number, ids.scale, ids.ranking, ids.matrix]) {
    if (r.chance(0.5)) {
      if (fresh[id] === undefined) delete edited[id];
      else edited[id] = fresh[id];
    }
  }
  if (r.chance(0.3)) {
    // Another choice brings or drops the conditional question.
    edited[ids.single] = fresh[ids.single];
    if (fresh[ids.why] === undefined) delete edited[ids.why];
    else edited[ids.why] = fresh[ids.why];
  }
  return edited;
}

/** Drives one survey: submissions, edits, paper forms, hides and restores, `together` at a time. */
async function mix(
  surveyId: string,
  ids: SampleIds,
  seed: number,
  steps: number,
  together: number,
) {
  const r = random(seed);
  const respondents = new Map<QuickUser, Record<string, unknown>>();
  const submitted: [QuickUser, Record<string, unknown>][] = [];
  const unused = [...people];
  let anonymous = 0;
  const textAnswers = async () =>
    selectRows<{ id: string; hidden: boolean }>(
      t.app.db,
      sql`select a.id, a.hidden from survey_answers a
            join survey_responses r on r.id = a.response_id
           where r.survey_id = ${surveyId} and a.value ?| array['text', 'other']`,
    );
  const moderate = (answerId: string, action: 'hide' | 'restore') =>
    t.inject({
      method: 'POST',
      url: `/api/moderation/survey-answers/${answerId}/${action}`,
      cookie: moderator.cookie,
      ...(action === 'hide' ? { payload: { reason: 'Лични данни' } } : {}),
    });
  for (let done = 0; done < steps; done += together) {
    const answers = await textAnswers();
    const batch = Array.from({ length: together }, async () => {
      const action = r.pick(['submit', 'submit', 'edit', 'edit', 'paper', 'anonymous', 'moderate']);
      if (action === 'edit' && respondents.size) {
        const [who, before] = r.pick([...respondents]);
        const after = editedAnswers(ids, r, before);
        respondents.set(who, after);
        return submit(t, surveyId, after, { cookie: who.cookie, method: 'PUT' });
      }
      if (action === 'moderate' && answers.length) {
        const answer = r.pick(answers);
        // A hide of a hidden answer and a restore of a shown one are no-ops and must stay so.
        const response = await moderate(
          answer.id,
          r.chance(0.7) !== answer.hidden ? 'hide' : 'restore',
        );
        // Its author's edit in the same batch may have replaced the answer: then it is gone.
        const gone =
          response.statusCode === 404 && !(await textAnswers()).some((a) => a.id === answer.id);
        return gone ? { statusCode: 200 } : response;
      }
      if (action === 'paper') {
        return t.inject({
          method: 'POST',
          url: `/api/admin/surveys/${surveyId}/paper-responses`,
          cookie: admin.cookie,
          payload: { answers: randomAnswers(ids, r) },
        });
      }
      if (action === 'anonymous' && anonymous < 25) {
        anonymous += 1;
        return t.inject({
          method: 'POST',
          url: `/api/surveys/${surveyId}/responses`,
          remoteAddress: `198.51.100.${anonymous}`,
          payload: { answers: randomAnswers(ids, r) },
        });
      }
      const who = unused.pop();
      if (!who) return moderate(r.pick(answers).id, 'restore');
      const given = randomAnswers(ids, r);
      // Editable from the next batch on, once the submission has committed.
      submitted.push([who, given]);
      return submit(t, surveyId, given, { cookie: who.cookie });
    });
    const codes = (await Promise.all(batch)).map((response) => response.statusCode);
    for (const [who, given] of submitted.splice(0)) respondents.set(who, given);
    // No write is refused or lost to a deadlock, whatever ran beside it.
    expect(codes.filter((code) => code !== 200 && code !== 201)).toEqual([]);
  }
}

describe('survey results from counters', () => {
  it('equal a full scan after a random mix of submissions, edits, paper forms, hides and restores', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    await mix(survey.id, ids, 20261207, 50, 1);
    await expectCountersMatchScan(survey.id);
  }, 120_000);

  it('stay exact under concurrent submissions, edits and moderation of one survey', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    await mix(survey.id, ids, 7, 60, 12);
    await expectCountersMatchScan(survey.id);
  }, 120_000);

  it('count every one of many simultaneous submissions', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { audience: 'anyone' });
    const r = random(42);
    const given = people.slice(0, 40).map((who) => ({ who, answers: randomAnswers(ids, r) }));
    const codes = await Promise.all(
      given.map(({ who, answers }) => submit(t, survey.id, answers, { cookie: who.cookie })),
    );
    expect(codes.map((response) => response.statusCode)).toEqual(given.map(() => 201));
    const structure = (await loadStructure(t.app.db, survey.id))!;
    const counted = await surveyResults(t.app.db, structure, false);
    expect(counted.responseCount).toBe(40);
    const single = counted.questions.find((q) => q.questionId === ids.single)!;
    expect(single.answered).toBe(40);
    const chose = (id: string) =>
      given.filter(({ answers }) =>
        (answers[ids.single] as { optionIds?: string[] }).optionIds?.includes(id),
      ).length;
    expect(single.options).toMatchObject([
      { optionId: ids.yes, count: chose(ids.yes) },
      { optionId: ids.no, count: chose(ids.no) },
    ]);
    await expectCountersMatchScan(survey.id);
  }, 120_000);
});
