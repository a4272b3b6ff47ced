import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { is, sql, type SQL } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** One drizzle type for both engines. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction, or the database itself, for repository functions that may run inside one. */
export type Executor = Pick<
  Database,
  'select' | 'insert' | 'update' | 'delete' | 'execute' | 'transaction' | 'query'
>;

/** Whether `db` is a transaction (of either engine) rather than the database itself. */
export function isTransaction(db: Executor): boolean {
  return is(db, PgTransaction);
}

export type DatabaseEngine = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite files; `memory://` keeps the database in memory (tests). */
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export interface DatabaseHandle {
  db: Database;
  engine: DatabaseEngine;
  /** The embedded database itself (engine `pglite` only): backups dump its data directory. */
  pglite?: PGlite;
  /** Applies pending migrations from the top-level drizzle/ folder. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Answers whether the database responds within `timeoutMs` (default 2 s): a health check must
   * not hang while a connection attempt waits on an unreachable server.
   */
  ping(timeoutMs?: number): Promise<boolean>;
  /**
   * LISTENs on `channel` and calls `onNotify` with each notification's payload. On PostgreSQL it
   * holds one dedicated connection (application_name `sabor-listen`) and re-LISTENs, retrying,
   * whenever that connection drops, then calls `onReconnect`: notifications sent while it was down
   * are lost, so the caller catches up from its own state. Resolves to a function that stops
   * listening; call it before `close()`.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Finds the committed drizzle/ folder by walking up from this module (works from source and from bundles). */
export function findMigrationsFolder(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`drizzle/ migrations folder not found above ${start}`);
    dir = parent;
  }
}

// Any constant works; it only has to be the same for every Sabor process.
const migrationLockKey = 7_415_290_113;

export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  const migrationsFolder = findMigrationsFolder();
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connection: { application_name: 'sabor' },
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    return {
      db,
      engine: 'postgres',
      async migrate() {
        // One connection holds an advisory lock so instances starting together migrate one at a time.
        const lockClient = postgres(options.databaseUrl!, { max: 1, onnotice: () => {} });
        try {
          await lockClient`select pg_advisory_lock(${migrationLockKey})`;
          await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder });
          await lockClient`select pg_advisory_unlock(${migrationLockKey})`;
        } finally {
          await lockClient.end();
        }
      },
      ping: (timeoutMs) => ping(db, timeoutMs),
      listen: (channel, onNotify, onReconnect) =>
        listenPostgres(options.databaseUrl!, channel, onNotify, onReconnect),
      close: () => client.end({ timeout: 5 }),
    };
  }

  const dataDir = options.dataDir.startsWith('memory://')
    ? options.dataDir
    : resolve(options.dataDir);
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    engine: 'pglite',
    pglite: client,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    ping: (timeoutMs) => ping(db, timeoutMs),
    // PGlite runs in this process: its notifications cannot be lost to a dropped connection.
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, onNotify);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

/**
 * A dedicated connection for LISTEN. postgres.js's own `sql.listen` re-LISTENs only once after a
 * drop and silently gives up if that attempt fails (e.g. the server is restarting), so this retries
 * until it succeeds or is stopped.
 */
async function listenPostgres(
  databaseUrl: string,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let relistening = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  const listenStatement = `listen "${channel.replace(/"/g, '""')}"`;
  const listenerOptions = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'sabor-listen' },
    // The option `sql.listen` itself is built on; postgres.js leaves it out of its typings.
    onnotify: (name: string, payload: string) => {
      if (name === channel) onNotify(payload);
    },
    onclose: () => {
      if (!stopped) void relisten();
    },
  };
  const client = postgres(databaseUrl, listenerOptions as postgres.Options<Record<string, never>>);

  async function relisten() {
    if (relistening) return;
    relistening = true;
    let delay = 100;
    while (!stopped) {
      try {
        await client.unsafe(listenStatement);
        relistening = false;
        if (!stopped) onReconnect?.();
        return;
      } catch {
        await new Promise<void>((resolve) => {
          wakeRetry = resolve;
          retryTimer = setTimeout(resolve, delay);
        });
        delay = Math.min(delay * 2, 5000);
      }
    }
    relistening = false;
  }

  try {
    await client.unsafe(listenStatement);
  } catch (err) {
    stopped = true;
    await client.end({ timeout: 1 });
    throw err;
  }
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    wakeRetry?.();
    await client.end({ timeout: 1 });
  };
}

async function ping(db: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = db.execute(sql`select 1`).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs raw SQL and returns its rows on either engine (postgres.js returns an array, PGlite an object
 * with `rows`).
 */
export async function selectRows<T extends Record<string, unknown>>(
  db: Pick<Database, 'execute'>,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}
