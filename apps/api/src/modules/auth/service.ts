import type { Locale, RegisterBody } from '@sabor/contracts';
import { users, userTokens, type Database, type UserRow } from '@sabor/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { ApiError, fieldError } from '../../errors';
import { enqueueMail } from '../mail/outbox';
import { accountMail, type AccountMail } from './mails';
import { dummyPasswordHash, hashPassword, isCommonPassword, verifyPassword } from './passwords';
import {
  createSession,
  invalidateUserSessions,
  isSuspended,
  type SessionMeta,
} from './session-service';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from './throttle';
import { consumeUserToken, isUserTokenValid, issueUserToken } from './user-tokens';

export interface AuthDeps {
  db: Database;
  config: Config;
  /** Called after a mail was queued so the sender delivers it soon. */
  onMailQueued?: () => void;
}

export interface SignedIn {
  user: UserRow;
  token: string;
  expiresAt: Date;
}

export function assertPasswordAcceptable(password: string, field = 'password'): void {
  if (isCommonPassword(password))
    throw fieldError(field, 'password_too_common', 400, 'password_too_common');
}

export function linkTo(config: Config, path: string, token: string): string {
  return `${config.publicOrigin}${path}?token=${encodeURIComponent(token)}`;
}

async function queueMail(
  deps: AuthDeps,
  db: Parameters<typeof enqueueMail>[0],
  user: Pick<UserRow, 'id' | 'email' | 'locale'>,
  mail: AccountMail,
) {
  await enqueueMail(db, {
    to: user.email,
    userId: user.id,
    locale: user.locale,
    mail: accountMail(mail, user.locale, deps.config.site.name[user.locale]),
    siteName: deps.config.site.name[user.locale],
  });
}

/** Creates a resident account, queues the verification mail and signs the person in. */
export async function register(
  deps: AuthDeps,
  body: RegisterBody,
  meta: SessionMeta,
  fallbackLocale: Locale,
): Promise<SignedIn> {
  assertPasswordAcceptable(body.password);
  const passwordHash = await hashPassword(body.password);
  const result = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email: body.email,
        displayName: body.displayName,
        passwordHash,
        locale: body.locale ?? fallbackLocale,
      })
      .onConflictDoNothing()
      .returning();
    if (!user) throw fieldError('email', 'email_taken', 409, 'email_taken');
    const token = await issueUserToken(tx, 'verify_email', user.id);
    await queueMail(deps, tx, user, {
      kind: 'verify_email',
      displayName: user.displayName,
      url: linkTo(deps.config, '/verify-email', token),
    });
    const session = await createSession(tx, user.id, meta);
    return { user, ...session };
  });
  deps.onMailQueued?.();
  return result;
}

export async function login(
  deps: AuthDeps,
  email: string,
  password: string,
  meta: SessionMeta & { ip: string },
): Promise<SignedIn> {
  await assertLoginAllowed(deps.db, email, meta.ip);
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)));
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !valid) {
    await recordLoginFailure(deps.db, email, meta.ip);
    throw new ApiError(401, 'invalid_credentials');
  }
  if (isSuspended(user)) throw new ApiError(403, 'account_suspended');
  await clearLoginFailures(deps.db, email);
  const session = await createSession(deps.db, user.id, meta);
  return { user, ...session };
}

export async function verifyEmail(deps: AuthDeps, token: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await consumeUserToken(tx, 'verify_email', token);
    if (!row?.userId) throw new ApiError(400, 'token_invalid');
    await tx
      .update(users)
      .set({
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, row.userId));
  });
}

export async function resendVerification(deps: AuthDeps, user: UserRow): Promise<void> {
  if (user.emailVerifiedAt) return;
  await deps.db.transaction(async (tx) => {
    const token = await issueUserToken(tx, 'verify_email', user.id);
    await queueMail(deps, tx, user, {
      kind: 'verify_email',
      displayName: user.displayName,
      url: linkTo(deps.config, '/verify-email', token),
    });
  });
  deps.onMailQueued?.();
}

/** Queues a reset link when the account exists; says nothing either way so emails cannot be probed. */
export async function forgotPassword(deps: AuthDeps, email: string): Promise<void> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)));
  if (!user || isSuspended(user)) return;
  await deps.db.transaction(async (tx) => {
    const token = await issueUserToken(tx, 'reset_password', user.id);
    await queueMail(deps, tx, user, {
      kind: 'reset_password',
      displayName: user.displayName,
      url: linkTo(deps.config, '/reset-password', token),
    });
  });
  deps.onMailQueued?.();
}

/** Sets a new password from a reset link and ends every session of the account. */
export async function resetPassword(
  deps: AuthDeps,
  token: string,
  password: string,
): Promise<void> {
  assertPasswordAcceptable(password);
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    const row = await consumeUserToken(tx, 'reset_password', token);
    if (!row?.userId) throw new ApiError(400, 'token_invalid');
    const [user] = await tx
      .update(users)
      // Following the link proves the person reads this mailbox.
      .set({
        passwordHash,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, row.userId))
      .returning();
    if (!user) throw new ApiError(400, 'token_invalid');
    await invalidateUserSessions(tx, user.id);
    await tx
      .update(userTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(userTokens.userId, user.id),
          eq(userTokens.purpose, 'reset_password'),
          isNull(userTokens.usedAt),
        ),
      );
    await queueMail(deps, tx, user, { kind: 'password_changed', displayName: user.displayName });
  });
  deps.onMailQueued?.();
}

async function adminExists(db: Pick<Database, 'select'>): Promise<boolean> {
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.role, 'admin'))
    .limit(1);
  return admin !== undefined;
}

export async function isSetupTokenValid(deps: AuthDeps, token: string): Promise<boolean> {
  return !(await adminExists(deps.db)) && (await isUserTokenValid(deps.db, 'admin_setup', token));
}

/** Creates the first admin from the one-time setup link printed at first start. */
export async function completeSetup(
  deps: AuthDeps,
  input: { token: string; email: string; displayName: string; password: string },
  meta: SessionMeta,
  locale: Locale,
): Promise<SignedIn> {
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    // Serialise concurrent setups so exactly one first admin is created.
    await tx.execute(sql`select pg_advisory_xact_lock(7415290114)`);
    if (await adminExists(tx)) throw new ApiError(409, 'setup_closed');
    const row = await consumeUserToken(tx, 'admin_setup', input.token);
    if (!row) throw new ApiError(400, 'token_invalid');
    const [user] = await tx
      .insert(users)
      .values({
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        role: 'admin',
        locale,
        emailVerifiedAt: new Date(),
      })
      .onConflictDoUpdate({
        target: users.email,
        set: { role: 'admin', passwordHash, displayName: input.displayName, updatedAt: sql`now()` },
      })
      .returning();
    if (!user) throw new ApiError(500, 'internal_error');
    const session = await createSession(tx, user.id, meta);
    return { user, ...session };
  });
}

/**
 * Makes sure an admin exists at start: from ADMIN_EMAIL/ADMIN_PASSWORD when set, otherwise returns a
 * one-time setup link to print (undefined when an admin already exists).
 */
export async function bootstrapAdmin(deps: AuthDeps): Promise<string | undefined> {
  const { adminEmail, adminPassword } = deps.config;
  if (adminEmail && adminPassword) {
    const passwordHash = await hashPassword(adminPassword);
    await deps.db
      .insert(users)
      .values({
        email: adminEmail,
        displayName: 'Administrator',
        passwordHash,
        role: 'admin',
        emailVerifiedAt: new Date(),
      })
      .onConflictDoUpdate({ target: users.email, set: { role: 'admin', updatedAt: sql`now()` } });
    return undefined;
  }
  if (await adminExists(deps.db)) return undefined;
  const token = await issueUserToken(deps.db, 'admin_setup', null);
  return linkTo(deps.config, '/setup', token);
}
