// Fresh PostgreSQL databases for BENCH_DATABASE_URL runs, created and dropped with psql so the
// benchmark needs no database driver of its own.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { onCleanup } from './lib.js';

const run = promisify(execFile);
let count = 0;

function psqlArgs(adminUrl, sql) {
  return [adminUrl, '--no-psqlrc', '--quiet', '-v', 'ON_ERROR_STOP=1', '-c', sql];
}

/**
 * Creates an empty database next to the one `adminUrl` names, dropped again at clean-up.
 * Returns the URL of the new database.
 */
export async function createFreshDatabase(adminUrl) {
  const name = `sabor_bench_${process.pid}_${Date.now()}_${count++}`;
  await run('psql', psqlArgs(adminUrl, `create database "${name}"`), { timeout: 30_000 });
  const drop = psqlArgs(adminUrl, `drop database if exists "${name}" with (force)`);
  onCleanup(
    `database ${name}`,
    async () => void (await run('psql', drop, { timeout: 30_000 })),
    () => void spawnSync('psql', drop, { timeout: 10_000, stdio: 'ignore' }),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}
