// `pnpm bench`: cold start and HTTP throughput of the built Sabor server, each beside a bare
// node:http baseline measured in the same run. See docs/benchmarks.md.
//
// Settings (environment): BENCH_RUNS (start-ups per kind, default 5), BENCH_DURATION (seconds of
// load per endpoint, default 10), BENCH_WARMUP (seconds, default 3), BENCH_CONNECTIONS (default 50),
// BENCH_START_TIMEOUT (seconds a start may take, default 120), BENCH_DATABASE_URL (PostgreSQL
// server to create fresh databases on instead of the embedded database).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { measureThroughput } from './http-throughput.js';
import { assertRunning, cleanup, repoRoot, stopProcess } from './lib.js';
import { formatReport, loadAverage, machineFacts, writeRecord } from './report.js';
import { measureColdStarts } from './server-startup.js';
import { baseline, marker, sabor, startServer } from './targets.js';

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
};
const databaseUrl = process.env.BENCH_DATABASE_URL?.trim() || undefined;
const log = (line) => console.error(line);

/** Responses that carry the real content, not an error or fallback rendering. */
const bodyChecks = {
  '/api/health': (body) => body.includes('"status":"ok"'),
  '/': (body) => body.includes(marker),
};

/** When the built files were last written; a rebuild during the run would mix two builds. */
function buildStamp() {
  const built = ['apps/api/dist/server.js', 'apps/web/build/handler.js', 'apps/web/build/server'];
  return built
    .map((path) => (existsSync(join(repoRoot, path)) ? statSync(join(repoRoot, path)).mtimeMs : 0))
    .join();
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
  for (const [path, verifyBody] of Object.entries(bodyChecks)) {
    const pair = {};
    for (const name of ['baseline', 'sabor']) {
      log(`  load GET ${path} on ${name === 'sabor' ? 'Sabor' : 'node:http'}`);
      pair[name] = await measureThroughput(`${servers[name].origin}${path}`, {
        ...settings,
        verifyBody,
      });
      assertRunning(servers[name].child, name === 'sabor' ? 'Sabor' : 'node:http baseline');
    }
    pair.ratio = pair.sabor.requestsPerSecond / pair.baseline.requestsPerSecond;
    results[path] = pair;
    if (path === '/' && (pair.sabor.bodyMismatches > 0 || pair.sabor.non2xx > 0)) {
      // The home page falls back to built-in site data when its internal GET /api/site fails;
      // right after the load, that call from the same loopback address shows why.
      const site = await fetch(`${servers.sabor.origin}/api/site`);
      notes.push(
        `GET / on Sabor: status codes ${JSON.stringify(pair.sabor.statusCodes)}; ` +
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
  if (!existsSync(join(repoRoot, 'apps/web/build/handler.js'))) {
    notes.push('apps/web/build is missing: Sabor serves the API only, so GET / is a 404.');
  }
  // A backstop for anything unbounded; each start and each load run has its own limit.
  const budgetS =
    settings.startTimeoutS * (3 * settings.runs + 4) +
    4 * (settings.warmupS + settings.durationS + 30);
  setTimeout(() => {
    console.error(`benchmark exceeded ${Math.round(budgetS)} s; stopping`);
    process.exit(1);
  }, budgetS * 1000).unref();

  const database = databaseUrl
    ? 'PostgreSQL (BENCH_DATABASE_URL, fresh database per store)'
    : 'embedded PGlite';
  log(`Cold start, ${settings.runs} runs (${database})`);
  const cold = await measureColdStarts({
    runs: settings.runs,
    databaseUrl,
    timeoutMs: settings.startTimeoutS * 1000,
    log,
  });
  log('Throughput');
  const load = await throughput(cold.store);

  const record = {
    date: new Date().toISOString(),
    machine: machineFacts(),
    loadAverage: { start: loadAtStart, end: loadAverage() },
    database,
    sabor: { version: load.health.version, engine: load.health.engine },
    settings,
    coldStart: cold.results,
    throughput: load.results,
    notes: [...notes, ...load.notes],
  };
  if (buildStamp() !== stampAtStart) {
    record.notes.push(
      'The build changed while the benchmark ran (a concurrent build?): discard these figures.',
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
