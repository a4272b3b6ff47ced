// The moderation benchmark group (issue 4): the first page of the moderators' queue,
// GET /api/moderation/items, newest and most reported first, as the demo moderator over HTTP, with
// 10,000 reported pending items beside the same query with 100, in the same run.
//
// Each size gets a store of its own, so the query is exactly the same (the whole pending queue,
// no filter) and only the number of items differs: Sabor starts on a fresh store, an open
// consultation is created through the admin API, Sabor stops, and then through the driver (no
// server running, as PGlite requires) residents, one comment per item, the items and their
// reports are inserted in bulk. Both servers then run side by side and are measured in turn.
import { measureThroughput } from './http-throughput.js';
import { addComments, addResidents, openStore } from './database.js';
import { assertRunning, stopProcess } from './lib.js';
import { createOpenConsultation, demoAdmin, login } from './sabor-api.js';
import { freshStore, sabor, startServer } from './targets.js';

export const demoModerator = { email: 'moderator@sabor.local', password: 'sabor-moderator-demo' };

/** Residents who write the comments and report them (up to five distinct reporters per item). */
const benchResidents = 50;

function randomAddress() {
  const part = () => 1 + Math.floor(Math.random() * 250);
  return `10.${part()}.${part()}.${part()}`;
}

/**
 * Puts every comment of `consultationId` in the queue as a reported, pending item with one to five
 * reports from distinct residents other than its author (reasons rotating through all six, `other`
 * with a text), entering the queue an hour after the comment; then sets each item's report count
 * and last report time from its reports, as the report service keeps them.
 */
async function addReportedItems(db, consultationId) {
  await db.query(
    `insert into moderation_items (subject_type, subject_id, consultation_id, author_id, status,
                                   cause, entered_at)
     select 'comment', id, consultation_id, author_id, 'pending', 'reported',
            created_at + interval '1 hour'
       from comments where consultation_id = $1`,
    [consultationId],
  );
  await db.query(
    `with reporters as (
       select id, row_number() over (order by email) - 1 as i, count(*) over () as total
         from users where email like 'bench-resident-%'
     ), items as (
       select id, author_id, entered_at, row_number() over (order by id) as n
         from moderation_items where consultation_id = $1
     )
     insert into moderation_reports (item_id, reporter_id, reason, details, created_at)
     select it.id, r.id,
            (array['spam','offensive','off_topic','personal_data','misinformation','other'])
              [1 + (it.n + k) % 6],
            case when (it.n + k) % 6 = 5 then 'Друга причина от бенчмарка' end,
            it.entered_at + make_interval(mins => k::int)
       from items it
       cross join generate_series(0, 4) k
       join reporters r on r.i = (it.n * 7 + k) % r.total
      where k <= it.n % 5 and r.id <> it.author_id`,
    [consultationId],
  );
  await db.query(
    `update moderation_items i
        set report_count = r.n, last_reported_at = r.last
       from (select item_id, count(*)::int as n, max(created_at) as last
               from moderation_reports group by item_id) r
      where r.item_id = i.id and i.consultation_id = $1`,
    [consultationId],
  );
  await db.query('analyze moderation_items');
  await db.query('analyze moderation_reports');
  const [row] = await db.query(
    `select count(*)::int as items, coalesce(sum(report_count), 0)::int as reports
       from moderation_items where consultation_id = $1 and status = 'pending'`,
    [consultationId],
  );
  return row;
}

/** A store whose queue holds `items` reported pending items (see the top of this file). */
async function prepareQueueStore(databaseUrl, items, timeoutMs, log) {
  const store = await freshStore(databaseUrl);
  const server = await startServer(sabor, store, timeoutMs);
  let consultationId;
  try {
    const admin = await login(server.origin, demoAdmin, '10.255.255.2');
    consultationId = await createOpenConsultation(server.origin, admin, 'Бенчмарк: модерация');
  } finally {
    await stopProcess(server.child);
  }
  const db = await openStore(store);
  try {
    const started = performance.now();
    await addResidents(db, benchResidents);
    const comments = await addComments(db, consultationId, items);
    const queued = await addReportedItems(db, consultationId);
    log(
      `  queue of ${queued.items} items (${queued.reports} reports, ${comments} comments) ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return { store, ...queued };
  } finally {
    await db.end();
  }
}

/**
 * Returns `{ results: [{ order, path, totals, small, big, latencyRatio, throughputRatio }], counts }`
 * where `small` and `big` are autocannon figures for the queue of 100 and of 10,000 items.
 */
export async function moderationGroup(settings, databaseUrl, log) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const sizes = { small: settings.smallQueueItems, big: settings.queueItems };
  const prepared = {};
  for (const [size, items] of Object.entries(sizes)) {
    log(`  preparing a queue of ${items} items`);
    prepared[size] = await prepareQueueStore(databaseUrl, items, timeoutMs, log);
  }
  const servers = {};
  const results = [];
  try {
    for (const size of Object.keys(sizes))
      servers[size] = await startServer(sabor, prepared[size].store, timeoutMs);
    const cookies = {};
    for (const [size, server] of Object.entries(servers))
      cookies[size] = await login(server.origin, demoModerator, randomAddress());

    for (const order of ['newest', 'most_reported']) {
      const path = `/api/moderation/items?status=pending&order=${order}&page=1&pageSize=25`;
      const totals = {};
      for (const [size, server] of Object.entries(servers)) {
        const probe = await fetch(`${server.origin}${path}`, {
          headers: { cookie: cookies[size], 'x-forwarded-for': randomAddress() },
        });
        const body = await probe.json();
        if (probe.status !== 200 || body.items?.length !== 25)
          throw new Error(`${path} on the ${size} queue: ${probe.status} ${JSON.stringify(body)}`);
        totals[size] = body.total;
      }
      const load = (size, durationS) =>
        measureThroughput(`${servers[size].origin}${path}`, {
          connections: settings.pageConnections,
          durationS,
          warmupS: 0,
          verifyBody: (body) => body.includes('"items"') && body.includes('"reportReasons"'),
          requests: [
            {
              method: 'GET',
              setupRequest: (request) => ({
                ...request,
                headers: {
                  ...request.headers,
                  cookie: cookies[size],
                  'x-forwarded-for': randomAddress(),
                },
              }),
            },
          ],
        });
      // Both are warmed before either is measured, so neither pays the JIT for the other.
      log(`  warm up GET ${path}`);
      await load('small', settings.warmupS);
      await load('big', settings.warmupS);
      const pair = {};
      for (const size of ['small', 'big']) {
        log(`  load GET ${path} (${totals[size]} pending items)`);
        pair[size] = await load(size, settings.durationS);
        assertRunning(servers[size].child, 'Sabor');
      }
      results.push({
        order,
        path,
        totals,
        small: pair.small,
        big: pair.big,
        latencyRatio: pair.big.latencyMeanMs / pair.small.latencyMeanMs,
        throughputRatio: pair.small.requestsPerSecond / pair.big.requestsPerSecond,
      });
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => stopProcess(server.child)));
  }
  const counts = Object.fromEntries(
    Object.entries(prepared).map(([size, p]) => [size, { items: p.items, reports: p.reports }]),
  );
  return { results, counts };
}
