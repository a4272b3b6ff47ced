// `pnpm bench`: the built Sabor server measured beside a bare baseline in the same run, in groups
// that can also run alone (see docs/benchmarks.md):
//   startup   cold start                         (beside a bare node:http server)
//   http      GET /api/health and GET / load     (beside a bare node:http server)
//   comments  comment POST throughput            (beside a raw INSERT of the same row; on
//             PostgreSQL also on two instances beside one)
//   pages     first page of a 10,000-comment thread (beside a 50-comment thread)
//   live      fan-out to 1,000 / 5,000 WebSockets and memory per socket (beside a raw ws server)
//   cross     fan-out over two instances         (beside one instance; PostgreSQL only)
//   moderation first page of a 10,000-item moderation queue (beside a 100-item queue)
//   events    registrations for one event at 100 clients (beside a raw INSERT of the same row)
//   surveys   results of a survey with 50,000 responses (beside the same survey with 50)
// `node bench/run.js live cross` or BENCH_ONLY=live,cross runs only those; default all.
//
// Settings (environment): BENCH_RUNS (start-ups per kind, default 5), BENCH_DURATION (seconds of
// load per endpoint, default 10), BENCH_WARMUP (seconds, default 3), BENCH_CONNECTIONS (default 50),
// BENCH_START_TIMEOUT (seconds a start may take, default 120), BENCH_DATABASE_URL (PostgreSQL
// server to create fresh databases on instead of the embedded database), and for the comment and
// live groups BENCH_POST_CONCURRENCY (10), BENCH_POST_USERS (50), BENCH_PAGE_CONNECTIONS (10),
// BENCH_THREAD_COMMENTS (10000), BENCH_LIVE_CLIENTS (1000,5000), BENCH_LIVE_EVENTS (20),
// BENCH_LIVE_PROCESSES (2), for the moderation group BENCH_QUEUE_ITEMS (10000), and for the events
// group BENCH_EVENT_CONNECTIONS (100), BENCH_EVENT_CAPACITY (1000), BENCH_EVENT_RESIDENTS (8000),
// and for the surveys group BENCH_SURVEY_RESPONSES (50000). BENCH_PROFILE_DIR: every Sabor server
// writes a V8 CPU profile (.cpuprofile) into that directory when it stops.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  commentPostGroup,
  commentPostTwoInstancesGroup,
  firstPageGroup,
  rawInsertBaseline,
} from './comments.js';
import { eventsGroup } from './events.js';
import { measureThroughput } from './http-throughput.js';
import { assertRunning, cleanup, repoRoot, stopProcess } from './lib.js';
import { crossGroup, liveGroup } from './live.js';
import { moderationGroup } from './moderation.js';
import { surveysGroup } from './surveys.js';
import { prepareStore } from './prepare.js';
import { formatReport, loadAverage, machineFacts, writeRecord } from './report.js';
import { measureColdStarts } from './server-startup.js';
import { baseline, freshStore, marker, renderedCookie, sabor, startServer } from './targets.js';

function setting(name, fallback) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const settings = {
  runs: Math.round(setting('BENCH_RUNS', 5)),
  durationS: setting('BENCH_DURATION', 10),
  warmupS: setting('BENCH_WARMUP', 3),
  connections: Math.round(setting('BENCH_CONNECTIONS', 50)),
  startTimeoutS: setting('BENCH_START_TIMEOUT', 120),
  postConcurrency: Math.round(setting('BENCH_POST_CONCURRENCY', 10)),
  postUsers: Math.round(setting('BENCH_POST_USERS', 50)),
  pageConnections: Math.round(setting('BENCH_PAGE_CONNECTIONS', 10)),
  threadComments: Math.round(setting('BENCH_THREAD_COMMENTS', 10_000)),
  smallThreadComments: 50,
  liveClients: (process.env.BENCH_LIVE_CLIENTS?.trim() || '1000,5000').split(',').map((part) => {
    const n = Number(part);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error('BENCH_LIVE_CLIENTS: positive integers, comma-separated');
    return n;
  }),
  liveEvents: Math.round(setting('BENCH_LIVE_EVENTS', 20)),
  liveProcesses: Math.round(setting('BENCH_LIVE_PROCESSES', 2)),
  queueItems: Math.round(setting('BENCH_QUEUE_ITEMS', 10_000)),
  smallQueueItems: 100,
  eventConnections: Math.round(setting('BENCH_EVENT_CONNECTIONS', 100)),
  eventCapacity: Math.round(setting('BENCH_EVENT_CAPACITY', 1000)),
  eventResidents: Math.round(setting('BENCH_EVENT_RESIDENTS', 8000)),
  surveyResponses: Math.round(setting('BENCH_SURVEY_RESPONSES', 50_000)),
  smallSurveyResponses: 50,
};
const databaseUrl = process.env.BENCH_DATABASE_URL?.trim() || undefined;

const allGroups = [
  'startup',
  'http',
  'comments',
  'pages',
  'live',
  'cross',
  'moderation',
  'events',
  'surveys',
];
const requested = [...process.argv.slice(2), ...(process.env.BENCH_ONLY ?? '').split(',')]
  .map((name) => name.trim())
  .filter((name) => name !== '' && name !== '--');
for (const name of requested) {
  if (!allGroups.includes(name))
    throw new Error(`unknown benchmark group ${name}: one of ${allGroups.join(', ')}`);
}
const groups = new Set(requested.length > 0 ? requested : allGroups);
const log = (line) => console.error(line);

/**
 * The loads of the http group: each URL with the check that tells real content from an error or a
 * fallback rendering. `/ (rendered)` is the home page for a visitor with a cookie of their own,
 * which the shared page cache never answers: what building the page costs; `/privacy (rendered)`
 * the same for a page that calls no API, what building any page costs at the least.
 */
const httpLoads = [
  {
    label: '/api/health',
    path: '/api/health',
    verifyBody: (body) => body.includes('"status":"ok"'),
  },
  { label: '/', path: '/', verifyBody: (body) => body.includes(marker) },
  {
    label: '/ (rendered)',
    path: '/',
    headers: { cookie: renderedCookie },
    verifyBody: (body) => body.includes(marker),
  },
  // A page with no API data, rendered: the floor of what any page costs to build.
  {
    label: '/privacy (rendered)',
    path: '/privacy',
    headers: { cookie: renderedCookie },
    verifyBody: (body) => body.includes(marker),
  },
];

/** When the built files were last written; a rebuild during the run would mix two builds. */
function buildStamp() {
  const built = ['apps/api/dist/server.js', 'apps/web/build/handler.js', 'apps/web/build/server'];
  return Object.fromEntries(
    built.map((path) => {
      const full = join(repoRoot, path);
      return [path, existsSync(full) ? statSync(full).mtimeMs : 0];
    }),
  );
}

/** The built files rewritten since `before`, with when, for the record's note. */
function buildChanges(before) {
  return Object.entries(buildStamp())
    .filter(([path, mtime]) => mtime !== before[path])
    .map(([path, mtime]) => `${path} at ${new Date(mtime).toISOString()}`);
}

async function throughput(saborStore) {
  const timeoutMs = settings.startTimeoutS * 1000;
  const servers = {
    sabor: await startServer(sabor, saborStore, timeoutMs),
    baseline: await startServer(baseline, undefined, timeoutMs),
  };
  const health = await (await fetch(`${servers.sabor.origin}/api/health`)).json();
  const results = {};
  const notes = [];
  for (const { label, path, headers, verifyBody } of httpLoads) {
    const pair = {};
    for (const name of ['baseline', 'sabor']) {
      log(`  load GET ${label} on ${name === 'sabor' ? 'Sabor' : 'node:http'}`);
      pair[name] = await measureThroughput(`${servers[name].origin}${path}`, {
        ...settings,
        verifyBody,
        headers,
      });
      assertRunning(servers[name].child, name === 'sabor' ? 'Sabor' : 'node:http baseline');
    }
    pair.ratio = pair.sabor.requestsPerSecond / pair.baseline.requestsPerSecond;
    results[label] = pair;
    if (path === '/' && (pair.sabor.bodyMismatches > 0 || pair.sabor.non2xx > 0)) {
      // The home page falls back to built-in site data when its internal GET /api/site fails;
      // right after the load, that call from the same loopback address shows why.
      const site = await fetch(`${servers.sabor.origin}/api/site`);
      notes.push(
        `GET ${label} on Sabor: status codes ${JSON.stringify(pair.sabor.statusCodes)}; ` +
          `${pair.sabor.bodyMismatches} responses without the configured site name (error page or ` +
          `fallback site data); GET /api/site right after the load answered ${site.status}` +
          (site.status === 429
            ? ' (API rate limit: the page’s internal calls share the visitor’s budget).'
            : '.'),
      );
    }
  }
  await Promise.all([stopProcess(servers.sabor.child), stopProcess(servers.baseline.child)]);
  return { results, health, notes };
}

async function main() {
  if (!existsSync(join(repoRoot, sabor.script))) {
    throw new Error(`${sabor.script} is missing: build first (pnpm bench builds it)`);
  }
  const loadAtStart = loadAverage();
  const stampAtStart = buildStamp();
  const notes = [];
  if (groups.has('http') && !existsSync(join(repoRoot, 'apps/web/build/handler.js'))) {
    notes.push('apps/web/build is missing: Sabor serves the API only, so GET / is a 404.');
  }
  // A backstop for anything unbounded; each start, load run and round has its own limit.
  const loadS = settings.warmupS + settings.durationS + 30;
  const budgetS =
    (groups.has('startup') ? settings.startTimeoutS * 3 * settings.runs : 0) +
    settings.startTimeoutS * 6 +
    (groups.has('http') ? 2 * httpLoads.length * loadS : 0) +
    (groups.has('comments') ? 3 * loadS + (databaseUrl ? settings.startTimeoutS * 2 : 0) : 0) +
    (groups.has('pages') ? 4 * loadS : 0) +
    600 +
    (groups.has('live') ? settings.liveClients.length * 2 * 600 : 0) +
    (groups.has('cross') ? settings.liveClients.length * 2 * 600 : 0) +
    (groups.has('moderation') ? settings.startTimeoutS * 6 + 8 * loadS : 0) +
    (groups.has('events') ? 3 * loadS + settings.startTimeoutS * 2 : 0) +
    (groups.has('surveys') ? settings.startTimeoutS * 2 + 120 : 0);
  setTimeout(() => {
    console.error(`benchmark exceeded ${Math.round(budgetS)} s; stopping`);
    process.exit(1);
  }, budgetS * 1000).unref();

  const database = databaseUrl
    ? 'PostgreSQL (BENCH_DATABASE_URL, fresh database per store)'
    : 'embedded PGlite';
  const record = {
    date: new Date().toISOString(),
    machine: machineFacts(),
    loadAverage: { start: loadAtStart, end: null },
    database,
    groups: allGroups.filter((name) => groups.has(name)),
    settings,
    notes,
    /** When each group ran, to tell which figures a concurrent rebuild could have touched. */
    timings: {},
  };
  const timed = async (name, measure) => {
    const start = new Date().toISOString();
    const result = await measure();
    record.timings[name] = { start, end: new Date().toISOString() };
    return result;
  };

  let coldStore;
  if (groups.has('startup')) {
    log(`Cold start, ${settings.runs} runs (${database})`);
    const cold = await measureColdStarts({
      runs: settings.runs,
      databaseUrl,
      timeoutMs: settings.startTimeoutS * 1000,
      log,
    });
    record.coldStart = cold.results;
    coldStore = cold.store;
  }
  if (groups.has('http')) {
    log('Throughput');
    const load = await throughput(coldStore ?? (await freshStore(databaseUrl)));
    record.sabor = { version: load.health.version, engine: load.health.engine };
    record.throughput = load.results;
    notes.push(...load.notes);
  }

  const needsThreads = ['comments', 'pages', 'live', 'cross'].some((name) => groups.has(name));
  const runCross = groups.has('cross') && databaseUrl !== undefined;
  if (groups.has('cross') && !runCross) {
    notes.push('Cross-instance fan-out needs PostgreSQL (BENCH_DATABASE_URL): not run on PGlite.');
  }
  if (needsThreads) {
    log(`Preparing a store with long threads (${database})`);
    const prepared = await prepareStore({
      databaseUrl,
      residents: Math.max(settings.postUsers, 20),
      bigThread: settings.threadComments,
      smallThread: settings.smallThreadComments,
      timeoutMs: settings.startTimeoutS * 1000,
      log,
      whileStopped: groups.has('comments')
        ? async (db, ready) => {
            log(`  raw INSERT baseline (${settings.postConcurrency} concurrent)`);
            return { rawInsert: await rawInsertBaseline(db, ready, settings) };
          }
        : undefined,
    });
    if (groups.has('comments')) {
      log('Comment POST throughput');
      const posts = await timed('comments', () => commentPostGroup(prepared, settings, log));
      if (posts.skipped) notes.push(posts.skipped);
      else record.commentPost = posts;
      if (databaseUrl && !posts.skipped) {
        log('Comment POST throughput on two instances');
        record.commentPostTwoInstances = await timed('comments on two instances', () =>
          commentPostTwoInstancesGroup(prepared, settings, posts.sabor.requestsPerSecond, log),
        );
      }
    }
    if (groups.has('pages')) {
      log('First page of a long and a short thread');
      const pages = await timed('pages', () => firstPageGroup(prepared, settings, log));
      record.firstPage = { results: pages.results, counts: pages.counts };
      notes.push(...pages.notes);
    }
    if (groups.has('live')) {
      log('Live fan-out, one instance, beside raw ws');
      const live = await timed('live', () => liveGroup(prepared, settings, log));
      record.liveFanout = live.results;
      for (const note of live.notes) if (!notes.includes(note)) notes.push(note);
    }
    if (runCross) {
      log('Live fan-out over two instances');
      const cross = await timed('cross', () => crossGroup(prepared, settings, log));
      record.crossInstance = cross.results;
      for (const note of cross.notes) if (!notes.includes(note)) notes.push(note);
    }
  }

  if (groups.has('moderation')) {
    log('First page of a long and a short moderation queue');
    const queue = await timed('moderation', () => moderationGroup(settings, databaseUrl, log));
    record.moderationQueue = queue;
  }

  if (groups.has('events')) {
    log(`Event registrations (${database})`);
    record.eventRegistrations = await timed('events', () =>
      eventsGroup(settings, databaseUrl, log),
    );
  }

  if (groups.has('surveys')) {
    log(`Survey results over ${settings.surveyResponses} responses (${database})`);
    record.surveyResults = await timed('surveys', () => surveysGroup(settings, databaseUrl, log));
  }

  record.loadAverage.end = loadAverage();
  const changed = buildChanges(stampAtStart);
  if (changed.length > 0) {
    record.notes.push(
      `The build changed while the benchmark ran (a concurrent build?): ${changed.join(', ')}; ` +
        'discard the figures measured after that.',
    );
    process.exitCode = 1;
  }
  console.log(`\n${formatReport(record)}\n`);
  log(`Written to ${writeRecord(record)}`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
