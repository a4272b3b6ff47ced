import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, until, type LiveClient } from './fixtures';
import { goodPassword, origin } from './helper';
import {
  findPostgresBinaries,
  freePort,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from './throwaway-postgres';

/**
 * "The process survives a database outage": the real server process runs on a PostgreSQL cluster of
 * this test's own while 8 writers post comments with Idempotency-Keys; the cluster is stopped
 * (cleanly, then as a crash) and started again in the middle. The server must stay up, say 503 on
 * /api/health while the database is away, serve again by itself, and have stored exactly the
 * comments it acknowledged, once each. Runs in the PostgreSQL pass (like the other PostgreSQL-only
 * tests); the cluster is never the shared one.
 */
const bindir = findPostgresBinaries();
if (!bindir && process.env.CI === 'true' && process.env.DATABASE_URL) {
  throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: the outage test cannot run');
}
if (!bindir && process.env.DATABASE_URL) {
  console.warn('database-outage.test.ts skipped: no PostgreSQL binaries (initdb, pg_ctl) found');
}

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const writers = 8;
const commentsPerWriter = 12;

describe.runIf(process.env.DATABASE_URL && bindir)('a database outage under write load', () => {
  let cluster: ThrowawayPostgres;
  let sql: postgres.Sql;
  let server: ChildProcess;
  let serverOutput = '';
  let base: string;
  let cookie: string;
  let consultationId: string;
  let reader: LiveClient;

  beforeAll(async () => {
    cluster = await startThrowawayPostgres(bindir!);
    sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: apiDir,
      env: {
        ...process.env,
        DATABASE_URL: cluster.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_ORIGIN: origin,
        SERVE_WEB: 'false',
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        // A claim stranded by the outage is taken over by the writer's retry a second later.
        IDEMPOTENCY_LEASE_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    await until(async () => (await health()) === 200, 'the server to start', 60_000);

    // The writers post far more than a new account may (relaxedModeration, in SQL).
    await sql`update moderation_settings set new_account_per_minute = 0, new_account_per_day = 0,
      new_account_held_comments = 0, hold_links_from_new_accounts = false where id = 1`;
    const [open] = await sql<{ id: string }[]>`
      select id from consultations where state = 'open' order by created_at limit 1`;
    consultationId = open!.id;
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'writer@example.bg',
        displayName: 'Писател',
        password: goodPassword,
      }),
    });
    expect(registered.status).toBe(201);
    cookie = registered.headers.getSetCookie()[0]!.split(';')[0]!;
    reader = await connect(`ws://127.0.0.1:${port}/api/ws`);
    await reader.subscribe([`consultation:${consultationId}`]);
  }, 120_000);

  afterAll(async () => {
    reader?.socket.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    await sql?.end({ timeout: 1 });
    await cluster?.destroy();
  });

  async function health(): Promise<number | 'unreachable'> {
    try {
      const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) });
      return response.status;
    } catch {
      return 'unreachable';
    }
  }

  /** Posts until acknowledged, retrying the same key on network errors, 5xx and 409 in use. */
  async function postUntilAcknowledged(key: string, body: string, client = 0): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (let backoff = 25; ; backoff = Math.min(backoff * 2, 500)) {
      let response: Response | undefined;
      try {
        response = await fetch(`${base}/api/consultations/${consultationId}/comments`, {
          method: 'POST',
          headers: {
            origin,
            cookie,
            'content-type': 'application/json',
            'idempotency-key': key,
            // Each writer is a client of its own (the server trusts loopback's forwarded address).
            'x-forwarded-for': `10.0.0.${client + 1}`,
          },
          body: JSON.stringify({ body, stance: 'for' }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch {
        // The server did not answer: retry the same key.
      }
      if (response?.status === 201) return ((await response.json()) as { id: string }).id;
      const status = response?.status ?? 'no answer';
      const text = (await response?.text()) ?? '';
      const retryable =
        status === 'no answer' ||
        status >= 500 ||
        (status === 409 && text.includes('idempotency_key_in_use'));
      if (!retryable) throw new Error(`${key}: ${status} ${text}`);
      if (Date.now() > deadline) throw new Error(`${key} never acknowledged: ${status}`);
      // A client's retry backoff, not a wait for a state.
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }

  it.each(['fast', 'immediate'] as const)(
    'stopping the database (%s) under load: the server stays up and loses or doubles nothing',
    async (mode) => {
      const acknowledged = new Map<string, string>();
      const writing = Array.from({ length: writers }, async (_, writer) => {
        for (let n = 0; n < commentsPerWriter; n++) {
          const body = `Отключване ${mode}: писател ${writer}, коментар ${n}`;
          acknowledged.set(
            await postUntilAcknowledged(`${mode}-${writer}-${n}`, body, writer),
            body,
          );
        }
      });
      let failed: Error | undefined;
      const allWritten = Promise.all(writing).catch((error: unknown) => {
        failed = error instanceof Error ? error : new Error(String(error));
      });
      const stillWriting = () => {
        if (failed) throw failed;
        if (server.exitCode !== null) {
          throw new Error(`the server exited (${server.exitCode}):\n${serverOutput}`);
        }
        return true;
      };

      await until(
        () => stillWriting() && acknowledged.size >= writers,
        'the first comments',
        30_000,
      );
      const stopped = cluster.stop(mode);
      const statusesDuringOutage = new Set<number | 'unreachable'>();
      await until(
        async () => {
          statusesDuringOutage.add(await health());
          return stillWriting() && statusesDuringOutage.has(503);
        },
        'health to say 503',
        30_000,
      );
      await stopped;
      await cluster.start();
      await until(
        async () => (await health()) === 200 && stillWriting(),
        'health to say 200 again',
        60_000,
      );
      await allWritten;
      if (failed) throw failed;

      expect(server.exitCode, serverOutput).toBeNull();
      expect([...statusesDuringOutage]).not.toContain('unreachable');
      const stored = await sql<{ id: string; body: string }[]>`
        select id, body from comments where body like ${`Отключване ${mode}:%`}`;
      expect(stored.length).toBe(writers * commentsPerWriter);
      expect(new Set(stored.map((row) => row.body)).size).toBe(stored.length);
      expect(new Map(stored.map((row) => [row.id, row.body]))).toEqual(acknowledged);

      // Both live-bus connections (events, presence) LISTEN again, not only the hub's safety poll
      // finding new rows...
      await until(
        async () =>
          (
            await sql`select 1 from pg_stat_activity
              where application_name = 'sabor-listen' and query ilike 'listen %'`
          ).length === 2,
        'the live bus to LISTEN again',
        30_000,
      );
      // ...posting works, and the new comment reaches a reader subscribed before the outage.
      const afterId = await postUntilAcknowledged(`${mode}-after`, `След ${mode}`);
      await until(
        () =>
          reader
            .events()
            .some(
              (event) => (event.payload as { comment?: { id: string } }).comment?.id === afterId,
            ),
        'the comment posted after the restart to reach the reader',
        30_000,
      );
    },
    180_000,
  );
});
