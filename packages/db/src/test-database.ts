import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { createDatabase, findMigrationsFolder } from './client';

export interface TestDatabase {
  /** postgres:// URL of a database created for this run, or undefined for PGlite. */
  databaseUrl: string | undefined;
  /** `memory://`, or the PGlite data directory made for this database. */
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new PostgreSQL database next to the one named by
 * DATABASE_URL when that is set, otherwise an in-memory PGlite. Tests never see another run's data.
 */
export async function createTestDatabase(
  baseUrl = process.env.DATABASE_URL,
): Promise<TestDatabase> {
  if (!baseUrl) return { databaseUrl: undefined, dataDir: 'memory://', drop: async () => {} };
  return createPostgresDatabase(baseUrl);
}

/**
 * A fresh database for one test file with every migration already applied, copied from a template
 * that is built once per set of migrations (see prepareTestDatabaseTemplate) instead of migrated
 * again: `CREATE DATABASE … TEMPLATE` on PostgreSQL, a copy of a migrated data directory on PGlite.
 * It holds no rows a test wrote: templates are only ever copied, never opened by a test.
 */
export async function createMigratedTestDatabase(
  baseUrl = process.env.DATABASE_URL,
): Promise<TestDatabase> {
  const template = await prepareTestDatabaseTemplate(baseUrl);
  if (!baseUrl) {
    const dataDir = mkdtempSync(join(scratchRoot(), 'sabor-test-pglite-'));
    cpSync(template, dataDir, { recursive: true });
    return {
      databaseUrl: undefined,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  return createPostgresDatabase(baseUrl, template);
}

/**
 * Makes sure the migrated template for the current drizzle/ folder exists and returns its name (a
 * PostgreSQL database next to `baseUrl`) or its directory (PGlite). Its name carries a hash of the
 * migration files (and of the PGlite version), so a changed migration gets a new template and a
 * stale one is never used. Several processes may call this at once: PostgreSQL builds under an
 * advisory lock, PGlite builds in a directory of its own that is renamed into place when complete.
 * A test run's globalSetup calls it once so that its test files find the template ready.
 */
export async function prepareTestDatabaseTemplate(
  baseUrl = process.env.DATABASE_URL,
): Promise<string> {
  return baseUrl ? preparePostgresTemplate(baseUrl) : preparePgliteTemplate();
}

function migrationsHash(): string {
  const folder = findMigrationsFolder();
  const hash = createHash('sha256');
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const path = join(folder, file);
    if (!file.endsWith('.sql') && !file.endsWith('.json')) continue;
    hash.update(file).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function createPostgresDatabase(baseUrl: string, template?: string): Promise<TestDatabase> {
  const name = `sabor_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  return {
    databaseUrl: databaseUrlFor(baseUrl, name),
    dataDir: 'memory://',
    async drop() {
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

function databaseUrlFor(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// Any constant works; it only has to be the same for every process that builds templates.
const templateLockKey = 7_415_290_114;

async function preparePostgresTemplate(baseUrl: string): Promise<string> {
  const template = `sabor_template_${migrationsHash()}`;
  const building = `${template}_building`;
  // One connection holds the lock for the whole build; it is released if the process dies.
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(${templateLockKey})`;
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!found) {
      // Left by a build that died half way (only a lock holder builds, so none is running).
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      await admin.unsafe(`create database "${building}"`);
      const handle = createDatabase({
        databaseUrl: databaseUrlFor(baseUrl, building),
        dataDir: 'memory://',
        poolSize: 1,
      });
      try {
        await handle.migrate();
      } finally {
        await handle.close();
      }
      // Only a complete template ever carries the name; no one may connect to it, so copying it
      // never fails because a session is open in it.
      await admin.unsafe(`alter database "${building}" rename to "${template}"`);
      await admin.unsafe(`alter database "${template}" with allow_connections false`);
    }
    await admin`select pg_advisory_unlock(${templateLockKey})`;
  } finally {
    await admin.end();
  }
  return template;
}

/** tmpfs when the machine has one, so copied databases stay in memory as PGlite's own would. */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}

async function preparePgliteTemplate(): Promise<string> {
  const root = scratchRoot();
  const template = join(root, `sabor-pglite-template-${pgliteVersion()}-${migrationsHash()}`);
  if (existsSync(template)) return template;
  const building = mkdtempSync(`${template}.building-`);
  try {
    const handle = createDatabase({ dataDir: building });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
    try {
      renameSync(building, template);
    } catch (err) {
      // Another process put its template in place first: the same migrations, so use that one.
      if (!existsSync(template)) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}
