import type { ModerationSettings, Role } from '@sabor/contracts';
import {
  createMigratedTestDatabase,
  idempotencyKeys,
  moderationSettings,
  outboxMails,
  users,
  type TestDatabase,
} from '@sabor/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';

export const origin = 'http://localhost:3000';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** Sends a request as a browser on this site would (Origin set), optionally with a session cookie. */
  inject(options: InjectOptions & { cookie?: string | undefined }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Builds the same app the server runs, on a fresh migrated database (a copy of the migrated PGlite
 * template, or a new PostgreSQL database made from the template when DATABASE_URL is set). Background jobs are off so tests drive them.
 * `options.databaseUrl` (or `options.dataDir`) instead shares another test app's PostgreSQL database
 * (a second instance) or PGlite directory (the next start of a restarted server), which this app's
 * close() leaves in place.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  configure?: (config: Config) => void,
  options: { databaseUrl?: string | undefined; dataDir?: string } = {},
): Promise<TestApp> {
  const database: TestDatabase =
    options.databaseUrl || options.dataDir
      ? {
          databaseUrl: options.databaseUrl,
          dataDir: options.dataDir ?? 'memory://',
          drop: async () => {},
        }
      : await createMigratedTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_ORIGIN: origin,
    SEED_DEMO: 'false',
    ...(database.databaseUrl && { DATABASE_URL: database.databaseUrl }),
    DATA_DIR: database.dataDir,
    ...env,
  });
  config.backgroundJobs = false;
  configure?.(config);
  let app: FastifyInstance;
  try {
    app = await buildApp(config);
    await app.ready();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    app,
    config,
    inject({ cookie, headers, ...options }) {
      return app.inject({
        // A different client address per request unless a test names one, so per-IP limits on
        // registration do not trip across unrelated tests.
        remoteAddress: randomClientAddress(),
        ...options,
        headers: { origin, ...(cookie && { cookie }), ...headers },
      });
    },
    async close() {
      // The database goes even when closing fails (a test may have broken the app on purpose).
      try {
        await app.close();
      } finally {
        await database.drop();
      }
    },
  };
}

/** The `name=value` of the session cookie a response set, for the next request's Cookie header. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name.endsWith('sabor_session') && c.value !== '');
  if (!cookie)
    throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `${cookie.name}=${cookie.value}`;
}

function randomClientAddress(): string {
  const part = () => Math.floor(Math.random() * 250) + 1;
  return `10.${part()}.${part()}.${part()}`;
}

let counter = 0;
export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.bg`;
}

export const goodPassword = 'зелена-липа-2026';

/** Registers an account (and gives it a role directly in the database) and returns its session cookie. */
export async function signUp(
  t: TestApp,
  options: { role?: Role; email?: string; displayName?: string; password?: string } = {},
): Promise<{ cookie: string; id: string; email: string; password: string }> {
  const email = options.email ?? uniqueEmail(options.role ?? 'resident');
  const password = options.password ?? goodPassword;
  const response = await t.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, displayName: options.displayName ?? 'Тест Тестов', password },
  });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.body}`);
  const id = (response.json() as { user: { id: string } }).user.id;
  if (options.role && options.role !== 'resident') {
    await t.app.db.update(users).set({ role: options.role }).where(eq(users.id, id));
  }
  return { cookie: sessionCookieOf(response), id, email, password };
}

export type Account = Awaited<ReturnType<typeof signUp>>;

/** An admin, a moderator and a resident, for tests of who may do what. */
export async function signUpEveryRole(
  t: TestApp,
): Promise<{ admin: Account; moderator: Account; resident: Account }> {
  return {
    admin: await signUp(t, { role: 'admin' }),
    moderator: await signUp(t, { role: 'moderator' }),
    resident: await signUp(t),
  };
}

/** The token in the newest mail to `to` whose link contains `path` (read from the outbox). */
export async function tokenFromOutbox(t: TestApp, to: string, path: string): Promise<string> {
  const mails = await t.app.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.to, to))
    .orderBy(desc(outboxMails.createdAt));
  for (const mail of mails) {
    const match = new RegExp(`${path}\\?token=([a-z0-9]+)`).exec(mail.text);
    if (match?.[1]) return match[1];
  }
  throw new Error(`no ${path} link mailed to ${to}`);
}

/**
 * Sets some of the automatic protection (moderation_settings) directly, and has `t`'s app forget
 * the settings it keeps (saving them through the API does that on every instance). Tests that
 * post many comments from brand-new accounts switch the limits off with `relaxedModeration`.
 */
export async function setModerationSettings(
  t: TestApp,
  settings: Partial<ModerationSettings>,
): Promise<void> {
  await t.app.db.update(moderationSettings).set(settings).where(eq(moderationSettings.id, 1));
  t.app.moderationSettings.forget();
}

/** No rate limits and no holds for new accounts (pre-moderated consultations still hold). */
export const relaxedModeration: Partial<ModerationSettings> = {
  newAccountPerMinute: 0,
  newAccountPerDay: 0,
  newAccountHeldComments: 0,
  holdLinksFromNewAccounts: false,
};

/**
 * Leaves the user's Idempotency-Key claim as a request that failed after its write committed leaves
 * it (the database went away before the response was stored, or the process died): no response,
 * claimed an hour ago, so past any lease. `userId` null: an anonymous request's key.
 */
export async function strandIdempotencyKey(
  t: TestApp,
  userId: string | null,
  key: string,
): Promise<void> {
  const scope = userId === null ? 'anonymous' : `user:${userId}`;
  await t.app.db
    .update(idempotencyKeys)
    .set({ statusCode: null, responseBody: null, claimedAt: sql`now() - interval '1 hour'` })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}
