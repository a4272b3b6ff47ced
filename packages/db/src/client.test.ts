import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase, selectRows } from './client';
import { createTestDatabase } from './test-database';
import { users } from './schema/index';

describe('database client', () => {
  it('answers a ping with "down" in bounded time when the server accepts but never answers', async () => {
    // A host that takes the connection and then says nothing (a hung server, a half-open network).
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const handle = createDatabase({
      databaseUrl: `postgres://nobody@127.0.0.1:${port}/nothing`,
      dataDir: 'memory://',
    });
    try {
      expect(await handle.ping(200)).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await handle.close();
    }
    // Without its own bound the ping would wait for postgres.js's 30 s connect timeout.
  }, 15_000);

  it('applies the migrations on an empty database, and again without harm', async () => {
    const test = await createTestDatabase();
    const handle = createDatabase({ databaseUrl: test.databaseUrl, dataDir: test.dataDir });
    try {
      await handle.migrate();
      await handle.migrate();
      expect(await handle.ping()).toBe(true);
      const tables = await selectRows<{ table_name: string }>(
        handle.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      );
      const names = tables.map((r) => r.table_name);
      expect(names).toEqual(
        expect.arrayContaining([
          'users',
          'sessions',
          'user_tokens',
          'outbox_mails',
          'audit_log',
          'idempotency_keys',
        ]),
      );
    } finally {
      await handle.close();
      await test.drop();
    }
  });

  it('lets several processes migrate the same PostgreSQL database at once', async () => {
    const test = await createTestDatabase();
    if (!test.databaseUrl) return; // PGlite has one process by nature.
    const handles = [1, 2, 3].map(() =>
      createDatabase({ databaseUrl: test.databaseUrl, dataDir: test.dataDir }),
    );
    try {
      await Promise.all(handles.map((h) => h.migrate()));
      expect(await handles[0]!.ping()).toBe(true);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await test.drop();
    }
  });

  // Creating an on-disk PGlite cluster takes seconds, far more on a loaded machine.
  it(
    'keeps every row across a restart of the embedded database on the same DATA_DIR',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sabor-db-'));
      try {
        const first = createDatabase({ dataDir });
        await first.migrate();
        await first.db
          .insert(users)
          .values({ email: 'persist@example.bg', displayName: 'Запазена' });
        await first.close();
        const second = createDatabase({ dataDir });
        await second.migrate();
        const [row] = await second.db
          .select()
          .from(users)
          .where(eq(users.email, 'persist@example.bg'));
        expect(row?.displayName).toBe('Запазена');
        await second.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
