// The two servers under test and how to start them: Sabor's built server and the bare node:http
// baseline. Both answer GET /api/health and GET / on loopback.
import { createFreshDatabase } from './postgres.js';
import { freePort, host, startNode, tempDir, waitForOk } from './lib.js';

/** The site name both servers put in their HTML, so the benchmark can tell a real page from a fallback. */
export const marker = 'Bench Marker Municipality';

/**
 * A cookie of the visitor's own: Sabor's shared page cache never answers a request that carries
 * one, so a page requested with it is rendered every time (what building the page costs).
 */
export const renderedCookie = 'bench_visitor=rendered';

/**
 * A new, empty place for Sabor's data: an embedded-database directory, or a fresh PostgreSQL
 * database when `databaseUrl` is given. Starting Sabor twice on the same store keeps its data.
 */
export async function freshStore(databaseUrl) {
  const dataDir = tempDir('sabor-bench-');
  return { dataDir, databaseUrl: databaseUrl ? await createFreshDatabase(databaseUrl) : '' };
}

export const sabor = {
  name: 'Sabor',
  script: 'apps/api/dist/server.js',
  env: (port, store) => ({
    PORT: String(port),
    HOST: host,
    LOG_LEVEL: 'warn',
    DATA_DIR: store.dataDir,
    DATABASE_URL: store.databaseUrl,
    // The embedded database seeds demo accounts by default, PostgreSQL does not; seeding on both
    // keeps the start-up work and the home page the same whichever database is measured.
    SEED_DEMO: 'true',
    SITE_NAME_BG: marker,
    SITE_NAME_EN: marker,
  }),
  // BENCH_PROFILE_DIR: each Sabor process writes a V8 CPU profile there when it stops.
  nodeArgs: process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [],
};

export const baseline = {
  name: 'node:http',
  script: 'bench/baseline-server.js',
  env: (port) => ({ PORT: String(port), BENCH_MARKER: marker }),
};

/**
 * Spawns `target` on a free loopback port and waits until GET /api/health answers 200.
 * `startMs` runs from just before the spawn to the first 200.
 */
export async function startServer(target, store, timeoutMs) {
  const port = await freePort();
  const origin = `http://${host}:${port}`;
  const spawnedAt = performance.now();
  const child = startNode(target.script, target.env(port, store), target.nodeArgs);
  const readyAt = await waitForOk(`${origin}/api/health`, child, timeoutMs);
  return { child, origin, startMs: readyAt - spawnedAt };
}

export const wsBaseline = {
  name: 'raw ws',
  script: 'bench/ws-baseline-server.js',
  env: (port) => ({ PORT: String(port) }),
};
