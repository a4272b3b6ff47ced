// The surveys benchmark group (issue 5): the aggregated results of a survey with 50,000 responses,
// GET /api/surveys/:id/results (every question kind: counts, averages, ranks, grid, capped texts),
// beside a plain COUNT over the same answer rows through the driver, in the same run.
//
// Sabor starts on a fresh store, the demo admin creates and publishes a survey through the API
// (live results, one question of each kind), Sabor stops, and then through the driver (no server
// running, as PGlite requires) the responses and their answers are inserted in bulk with SQL.
// The COUNT is timed through the driver first; then Sabor starts again and the results route is
// timed over HTTP, one request at a time, so the two latencies compare like for like.
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

/** `responses` anonymous responses, each answering every question, inserted with SQL. */
async function addResponses(db, surveyId, q, responses) {
  await db.query(
    `insert into survey_responses (survey_id, browser_token_hash, submitted_at, updated_at)
     select $1, md5(random()::text || n), now() - make_interval(secs => n), now()
       from generate_series(1, $2::int) n`,
    [surveyId, responses],
  );
  const pick = (ids) => `(array['${ids.join("','")}'])`;
  await db.query(
    `insert into survey_answers (response_id, question_id, value)
     select r.id, x.question_id, x.value
       from (select id, row_number() over () as n from survey_responses where survey_id = $1) r
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
  await db.query('analyze survey_responses');
  await db.query('analyze survey_answers');
  const [row] = await db.query(
    `select count(*)::int as answers, count(distinct a.response_id)::int as responses
       from survey_answers a join survey_responses r on r.id = a.response_id
      where r.survey_id = $1`,
    [surveyId],
  );
  return row;
}

/** Mean, p50, p99 and max of `samples` sequential runs of `run` after `warmups` unmeasured ones. */
async function timeSequential(run) {
  for (let i = 0; i < warmups; i += 1) await run();
  const ms = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  return {
    samples,
    meanMs: ms.reduce((a, b) => a + b, 0) / ms.length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    maxMs: Math.max(...ms),
  };
}

/**
 * Returns `{ responses, answers, count, results, ratio }`: sequential latencies of the plain COUNT
 * (driver) and of GET /api/surveys/:id/results (HTTP), and results ÷ count by mean.
 */
export async function surveysGroup(settings, databaseUrl, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const store = await freshStore(databaseUrl);
  const { q, input } = benchSurvey();
  let server = await startServer(sabor, store, timeoutMs);
  let surveyId;
  try {
    const admin = await login(server.origin, demoAdmin, '10.255.255.3');
    const created = await call(server.origin, 'POST', '/api/admin/surveys', {
      cookie: admin,
      body: input,
    });
    if (created.status !== 201)
      throw new Error(`create survey: ${created.status} ${JSON.stringify(created.body)}`);
    surveyId = created.body.id;
    const published = await call(server.origin, 'POST', `/api/admin/surveys/${surveyId}/publish`, {
      cookie: admin,
    });
    if (published.status !== 200) throw new Error(`publish survey: ${published.status}`);
  } finally {
    await stopProcess(server.child);
  }

  const db = await openStore(store);
  let rows;
  let count;
  try {
    const started = performance.now();
    rows = await addResponses(db, surveyId, q, settings.surveyResponses);
    log(
      `  ${rows.responses} responses, ${rows.answers} answers in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    log('  time a plain COUNT over the same answers (driver)');
    count = await timeSequential(() =>
      db.query(
        `select count(*) from survey_answers a join survey_responses r on r.id = a.response_id
          where r.survey_id = $1`,
        [surveyId],
      ),
    );
  } finally {
    await db.end();
  }

  server = await startServer(sabor, store, timeoutMs);
  let results;
  try {
    const path = `/api/surveys/${surveyId}/results`;
    const probe = await call(server.origin, 'GET', path);
    if (probe.status !== 200 || probe.body.responseCount !== rows.responses)
      throw new Error(`${path}: ${probe.status} ${JSON.stringify(probe.body).slice(0, 300)}`);
    log(`  time GET ${path} (HTTP, one at a time)`);
    results = await timeSequential(async () => {
      const response = await call(server.origin, 'GET', path, { address: '10.255.255.4' });
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    });
  } finally {
    await stopProcess(server.child);
  }
  return { ...rows, count, results, ratio: results.meanMs / count.meanMs };
}
