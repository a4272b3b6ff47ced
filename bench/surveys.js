// The surveys benchmark group (issues 5 and 14): the aggregated results of a survey with 50,000
// responses, GET /api/surveys/:id/results (every question kind: counts, averages, ranks, grid,
// capped texts), beside the same survey with 50 responses, in the same run. Results are read from
// counters kept per option, value, rank and cell, so the aim is the big one within 1.5× the small.
//
// Sabor starts on a fresh store, the demo admin creates and publishes the two surveys through the
// API (live results, one question of each kind), Sabor stops, and then through the driver (no
// server running, as PGlite requires) the responses and their answers are inserted in bulk with
// SQL and counted into the counters by the migration's backfill query (survey_answer_figures).
// Sabor starts again and the two results routes are timed over HTTP, one request at a time,
// alternately, so that the two latencies see the same load.
import { randomUUID } from 'node:crypto';
import { openStore } from './database.js';
import { percentile, stopProcess } from './lib.js';
import { call, demoAdmin, login } from './sabor-api.js';
import { freshStore, sabor, startServer } from './targets.js';

const warmups = 3;
const samples = 20;

/** A survey with one question of every kind; ids are chosen here, as the builder's client does. */
function benchSurvey() {
  const id = () => randomUUID();
  const q = {
    section: id(),
    single: id(),
    singleOptions: [id(), id(), id()],
    multiple: id(),
    multipleOptions: [id(), id(), id(), id()],
    text: id(),
    number: id(),
    date: id(),
    scale: id(),
    ranking: id(),
    rankingOptions: [id(), id(), id()],
    matrix: id(),
    rows: [id(), id()],
    columns: [id(), id(), id()],
  };
  const options = (ids, role = 'option') =>
    ids.map((optionId, n) => ({ id: optionId, role, labelBg: `Възможност ${n + 1}` }));
  const input = {
    titleBg: 'Бенчмарк: анкета с 50 000 отговора',
    audience: 'anyone',
    resultsVisibility: 'live',
    sections: [
      {
        id: q.section,
        titleBg: 'Въпроси',
        questions: [
          {
            id: q.single,
            kind: 'single_choice',
            textBg: 'Избор',
            options: options(q.singleOptions),
            allowOther: true,
          },
          {
            id: q.multiple,
            kind: 'multiple_choice',
            textBg: 'Множествен избор',
            options: options(q.multipleOptions),
          },
          { id: q.text, kind: 'long_text', textBg: 'Свободен текст' },
          { id: q.number, kind: 'number', textBg: 'Число', min: 0, max: 100 },
          { id: q.date, kind: 'date', textBg: 'Дата' },
          { id: q.scale, kind: 'scale', textBg: 'Скала', min: 1, max: 5 },
          {
            id: q.ranking,
            kind: 'ranking',
            textBg: 'Подреждане',
            options: options(q.rankingOptions),
          },
          {
            id: q.matrix,
            kind: 'matrix',
            textBg: 'Матрица',
            options: [...options(q.rows, 'row'), ...options(q.columns, 'column')],
          },
        ],
      },
    ],
  };
  return { q, input };
}

/**
 * `responses` anonymous responses, each answering every question, inserted with SQL, then counted
 * as migration 0013 counts the answers of an installation it upgrades.
 */
async function addResponses(db, surveyId, q, responses) {
  await db.query(
    `insert into survey_responses (survey_id, browser_token_hash, submitted_at, updated_at)
     select $1, md5(random()::text || n), now() - make_interval(secs => n), now()
       from generate_series(1, $2::int) n`,
    [surveyId, responses],
  );
  const pick = (ids) => `(array['${ids.join("','")}'])`;
  await db.query(
    `insert into survey_answers (response_id, question_id, value, submitted_at)
     select r.id, x.question_id, x.value, r.submitted_at
       from (select id, submitted_at, row_number() over () as n
               from survey_responses where survey_id = $1) r
      cross join lateral (values
        ($2::uuid, jsonb_build_object('optionIds', jsonb_build_array(${pick(q.singleOptions)}[1 + r.n % 3]))),
        ($3::uuid, jsonb_build_object('optionIds', jsonb_build_array(${pick(q.multipleOptions)}[1 + r.n % 4],
                                                                     ${pick(q.multipleOptions)}[1 + (r.n + 1) % 4]))),
        ($4::uuid, jsonb_build_object('text', 'Отговор номер ' || r.n || ', с "кавички" и запетая')),
        ($5::uuid, jsonb_build_object('number', r.n % 101)),
        ($6::uuid, jsonb_build_object('date', to_char(date '2026-01-01' + (r.n % 300)::int, 'YYYY-MM-DD'))),
        ($7::uuid, jsonb_build_object('number', 1 + r.n % 5)),
        ($8::uuid, jsonb_build_object('ranking', case when r.n % 2 = 0
           then jsonb_build_array(${pick(q.rankingOptions)}[1], ${pick(q.rankingOptions)}[2], ${pick(q.rankingOptions)}[3])
           else jsonb_build_array(${pick(q.rankingOptions)}[3], ${pick(q.rankingOptions)}[1], ${pick(q.rankingOptions)}[2]) end)),
        ($9::uuid, jsonb_build_object('matrix', jsonb_build_object(
           ${pick(q.rows)}[1], ${pick(q.columns)}[1 + r.n % 3],
           ${pick(q.rows)}[2], ${pick(q.columns)}[1 + (r.n + 2) % 3])))
      ) as x(question_id, value)`,
    [surveyId, q.single, q.multiple, q.text, q.number, q.date, q.scale, q.ranking, q.matrix],
  );
  await db.query(
    `insert into survey_tallies (question_id, figure, item, detail, visible_count, hidden_count)
     select a.question_id, f.figure, f.item, f.detail,
            count(*) filter (where not a.hidden), count(*) filter (where a.hidden)
       from survey_answers a join survey_responses r on r.id = a.response_id
      cross join lateral survey_answer_figures(a.value) f
      where r.survey_id = $1
      group by 1, 2, 3, 4`,
    [surveyId],
  );
  await db.query(
    `insert into survey_stats (survey_id, response_count, anonymous_count, paper_count)
     select survey_id, count(*), count(*) filter (where browser_token_hash is not null),
            count(*) filter (where source = 'paper')
       from survey_responses where survey_id = $1 group by survey_id`,
    [surveyId],
  );
  const [row] = await db.query(
    `select count(*)::int as answers, count(distinct a.response_id)::int as responses
       from survey_answers a join survey_responses r on r.id = a.response_id
      where r.survey_id = $1`,
    [surveyId],
  );
  return row;
}

const summary = (ms) => ({
  samples: ms.length,
  meanMs: ms.reduce((a, b) => a + b, 0) / ms.length,
  p50Ms: percentile(ms, 50),
  p99Ms: percentile(ms, 99),
  maxMs: Math.max(...ms),
});

/**
 * Mean, p50, p99 and max of `samples` sequential runs of each of `small` and `big`, taken
 * alternately after `warmups` unmeasured rounds.
 */
async function timeAlternately(small, big) {
  for (let i = 0; i < warmups; i += 1) {
    await small();
    await big();
  }
  const times = { small: [], big: [] };
  const timed = async (run, into) => {
    const started = performance.now();
    await run();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < samples; i += 1) {
    await timed(small, times.small);
    await timed(big, times.big);
  }
  return { small: summary(times.small), big: summary(times.big) };
}

/** Creates and publishes a survey through the admin API; returns its id. */
async function publishSurvey(origin, admin, input) {
  const created = await call(origin, 'POST', '/api/admin/surveys', { cookie: admin, body: input });
  if (created.status !== 201)
    throw new Error(`create survey: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  const published = await call(origin, 'POST', `/api/admin/surveys/${id}/publish`, {
    cookie: admin,
  });
  if (published.status !== 200) throw new Error(`publish survey: ${published.status}`);
  return id;
}

/**
 * Returns `{ small, big, ratio }`: for the survey with `settings.smallSurveyResponses` responses and
 * the one with `settings.surveyResponses`, their rows and the sequential latencies of GET
 * /api/surveys/:id/results (HTTP), and big ÷ small by mean.
 */
export async function surveysGroup(settings, databaseUrl, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const store = await freshStore(databaseUrl);
  const surveys = {
    small: { ...benchSurvey(), responses: settings.smallSurveyResponses },
    big: { ...benchSurvey(), responses: settings.surveyResponses },
  };
  let server = await startServer(sabor, store, timeoutMs);
  try {
    const admin = await login(server.origin, demoAdmin, '10.255.255.3');
    for (const survey of Object.values(surveys)) {
      survey.id = await publishSurvey(server.origin, admin, survey.input);
    }
  } finally {
    await stopProcess(server.child);
  }

  const db = await openStore(store);
  try {
    for (const survey of Object.values(surveys)) {
      const started = performance.now();
      survey.rows = await addResponses(db, survey.id, survey.q, survey.responses);
      log(
        `  ${survey.rows.responses} responses, ${survey.rows.answers} answers in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    await db.query('analyze survey_responses');
    await db.query('analyze survey_answers');
    await db.query('analyze survey_tallies');
  } finally {
    await db.end();
  }

  server = await startServer(sabor, store, timeoutMs);
  let times;
  try {
    const results = (survey) => async () => {
      const path = `/api/surveys/${survey.id}/results`;
      const response = await call(server.origin, 'GET', path, { address: '10.255.255.4' });
      if (response.status !== 200 || response.body.responseCount !== survey.rows.responses)
        throw new Error(
          `${path}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
        );
    };
    log('  time GET /api/surveys/:id/results of both surveys (HTTP, one at a time, alternately)');
    times = await timeAlternately(results(surveys.small), results(surveys.big));
  } finally {
    await stopProcess(server.child);
  }
  return {
    small: { ...surveys.small.rows, results: times.small },
    big: { ...surveys.big.rows, results: times.big },
    ratio: times.big.meanMs / times.small.meanMs,
  };
}
