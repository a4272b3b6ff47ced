import {
  createDatabase,
  createMigratedTestDatabase,
  createTestDatabase,
  selectRows,
  type TestDatabase,
} from '@sabor/db';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, pdf } from '../../test/files';
import { buildTestApp, sessionCookieOf, type TestApp } from '../../test/helper';
import { seedDemo } from '../modules/demo/seed';
import { OperationRefused } from './backup';
import { DataDirInUse } from './control-socket';
import { copyToPostgres, filledByMigrations, type CopiedTable } from './copy-to-postgres';

/** Rows per table of an embedded database, read with Sabor stopped. */
async function embeddedCounts(dataDir: string): Promise<CopiedTable[]> {
  const handle = createDatabase({ dataDir });
  try {
    const tables = await selectRows<{ name: string }>(
      handle.db,
      sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    );
    const counts: CopiedTable[] = [];
    for (const { name } of tables) {
      const [counted] = await selectRows<{ rows: number }>(
        handle.db,
        sql`select count(*)::int as rows from ${sql.identifier(name)}`,
      );
      counts.push({ table: name, rows: counted!.rows });
    }
    return counts;
  } finally {
    await handle.close();
  }
}

describe('the migrations', () => {
  it('fill no table but the ones a copy replaces', async () => {
    const fresh = await createMigratedTestDatabase('');
    try {
      const filled = (await embeddedCounts(fresh.dataDir)).filter((c) => c.rows > 0);
      expect(filled.map((c) => c.table)).toEqual([...filledByMigrations]);
    } finally {
      await fresh.drop();
    }
  });
});

const baseUrl = process.env.DATABASE_URL;

// Runs in the PostgreSQL pass of the tests (DATABASE_URL set): the source is PGlite on disk there too.
describe.skipIf(!baseUrl)('copying the embedded database to PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let copied: CopiedTable[];
  let adminCookie: string;
  /** What the embedded database answered, by URL: status and body. */
  const answered = new Map<string, { status: number; body: string }>();

  beforeAll(async () => {
    source = await createMigratedTestDatabase('');
    const embedded = await buildTestApp({}, undefined, { dataDir: source.dataDir });
    try {
      await seedDemo(embedded.app.db);
      const login = await embedded.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@sabor.local', password: 'sabor-admin-demo' },
      });
      adminCookie = sessionCookieOf(login);
      await recordAnswers(embedded);
    } finally {
      await embedded.close();
    }
    target = await createTestDatabase(baseUrl);
    copied = await copyToPostgres({ dataDir: source.dataDir, databaseUrl: target.databaseUrl! });
  });
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  /** Uploads a document and posts a comment, then asks the embedded database the public and admin questions. */
  async function recordAnswers(embedded: TestApp) {
    const list = await embedded.inject({ method: 'GET', url: '/api/consultations' });
    const consultations = (list.json() as { items: { id: string; state: string }[] }).items;
    const open = consultations.find((c) => c.state === 'open')!;
    const body = multipart([
      { name: 'title', value: 'Проект на правилника' },
      { name: 'file', filename: 'pravilnik.pdf', contentType: 'application/pdf', data: pdf() },
    ]);
    const uploaded = await embedded.inject({
      method: 'POST',
      url: `/api/admin/consultations/${open.id}/documents`,
      cookie: adminCookie,
      payload: body.payload,
      headers: body.headers,
    });
    expect(uploaded.statusCode).toBe(201);
    const documentId = (uploaded.json() as { id: string }).id;
    // A comment posted through the API: live-event history (the demo content is written directly).
    const commented = await embedded.inject({
      method: 'POST',
      url: `/api/consultations/${open.id}/comments`,
      cookie: adminCookie,
      payload: { body: 'Коментар преди преместването.', stance: 'for' },
    });
    expect(commented.statusCode).toBe(201);
    const urls = [
      '/api/consultations',
      '/api/surveys',
      '/api/events',
      '/api/admin/users',
      '/api/moderation/items',
      '/api/moderation/audit',
      `/api/documents/${documentId}`,
      ...consultations.flatMap((c) => [
        `/api/consultations/${c.id}`,
        `/api/consultations/${c.id}/comments`,
        `/api/consultations/${c.id}/documents`,
        `/api/consultations/${c.id}/report`,
      ]),
    ];
    for (const url of urls) {
      const response = await embedded.inject({ method: 'GET', url, cookie: adminCookie });
      answered.set(url, { status: response.statusCode, body: response.body });
    }
  }

  it('copies every table, each with as many rows as the embedded database holds', async () => {
    const counts = await embeddedCounts(source.dataDir);
    expect(copied).toEqual(counts);
    const rows = Object.fromEntries(copied.map((c) => [c.table, c.rows]));
    for (const table of [
      'users',
      'sessions',
      'consultation_documents',
      'comments',
      'live_events',
      'audit_log',
    ]) {
      expect(rows[table], table).toBeGreaterThan(0);
    }
  });

  it('answers the same API calls on PostgreSQL, to the same signed-in admin', async () => {
    const onPostgres = await buildTestApp({}, undefined, { databaseUrl: target.databaseUrl });
    try {
      for (const [url, before] of answered) {
        const response = await onPostgres.inject({ method: 'GET', url, cookie: adminCookie });
        expect({ url, status: response.statusCode, body: response.body }).toEqual({
          url,
          ...before,
        });
      }
      expect([...answered.values()].filter((a) => a.status === 200).length).toBeGreaterThan(10);
      // New rows take ids after the copied ones (the identity sequences came along).
      const [next] = await selectRows<{ id: number }>(
        onPostgres.app.db,
        sql`insert into live_events (topic, payload) values ('copy-test', '{}') returning id::int as id`,
      );
      const maxCopied = await selectRows<{ max: number }>(
        onPostgres.app.db,
        sql`select max(id)::int as max from live_events where topic <> 'copy-test'`,
      );
      expect(next!.id).toBeGreaterThan(maxCopied[0]!.max);
    } finally {
      await onPostgres.close();
    }
  });

  it('keeps the audit log append-only', async () => {
    const client = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      await expect(client`update audit_log set action = action`).rejects.toThrow(/append-only/);
      await expect(client`delete from audit_log`).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('refuses a target that holds data, and leaves it as it was', async () => {
    const client = postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const [before] = await client<{ users: number; comments: number }[]>`
        select (select count(*)::int from users) as users, (select count(*)::int from comments) as comments`;
      await expect(
        copyToPostgres({ dataDir: source.dataDir, databaseUrl: target.databaseUrl! }),
      ).rejects.toBeInstanceOf(OperationRefused);
      const [after] = await client<{ users: number; comments: number }[]>`
        select (select count(*)::int from users) as users, (select count(*)::int from comments) as comments`;
      expect(after).toEqual(before);
    } finally {
      await client.end();
    }
  });

  it('refuses while Sabor runs on the data directory', async () => {
    const running = await buildTestApp({}, undefined, { dataDir: source.dataDir });
    const empty = await createTestDatabase(baseUrl);
    try {
      await expect(
        copyToPostgres({ dataDir: source.dataDir, databaseUrl: empty.databaseUrl! }),
      ).rejects.toBeInstanceOf(DataDirInUse);
    } finally {
      await running.close();
      await empty.drop();
    }
  });
});
