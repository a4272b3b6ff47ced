import { sessions, users, type Database, type Executor, type UserRow } from '@sabor/db';
import type { SessionUser } from '@sabor/contracts';
import { and, eq, gt, ne, sql } from 'drizzle-orm';
import { generateToken, hashToken } from './tokens';

export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;
/** A session used in its second half gets a fresh 30 days (sliding expiry). */
const renewWhenRemainingMs = sessionLifetimeMs / 2;
const lastSeenResolutionMs = 5 * 60 * 1000;

export interface SessionMeta {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

export interface ValidSession {
  id: string;
  user: UserRow;
  expiresAt: Date;
  /** True when the expiry moved and the cookie must be re-sent. */
  renewed: boolean;
}

export function toSessionUser(user: UserRow): SessionUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
  };
}

/**
 * Suspended right now: a suspension without an end, or one whose end is still ahead. A timed
 * suspension ends by itself; nothing has to clear it.
 */
export function isSuspended(
  user: Pick<UserRow, 'suspendedAt' | 'suspendedUntil'>,
  now = Date.now(),
): boolean {
  return (
    user.suspendedAt !== null &&
    (user.suspendedUntil === null || user.suspendedUntil.getTime() > now)
  );
}

export async function createSession(
  db: Executor,
  userId: string,
  meta: SessionMeta,
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  await db.insert(sessions).values({
    id: hashToken(token),
    userId,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip ?? null,
  });
  return { token, expiresAt };
}

/** Resolves a cookie token to its live session and user, renewing or expiring it as the guide says. */
export async function validateSessionToken(
  db: Database,
  token: string,
): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = hashToken(token);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.id, id))
    .limit(1);
  if (!row) return null;
  const now = Date.now();
  if (row.session.expiresAt.getTime() <= now || isSuspended(row.user, now) || row.user.deletedAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  const renew = row.session.expiresAt.getTime() - now < renewWhenRemainingMs;
  const touch = now - row.session.lastSeenAt.getTime() > lastSeenResolutionMs;
  let expiresAt = row.session.expiresAt;
  if (renew || touch) {
    if (renew) expiresAt = new Date(now + sessionLifetimeMs);
    await db
      .update(sessions)
      .set({ expiresAt, lastSeenAt: new Date(now) })
      .where(eq(sessions.id, id));
  }
  return { id, user: row.user, expiresAt, renewed: renew };
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, optionally keeping one (the caller's). Returns how many ended. */
export async function invalidateUserSessions(
  db: Executor,
  userId: string,
  keepSessionId?: string,
): Promise<number> {
  const condition = keepSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))
    : eq(sessions.userId, userId);
  const ended = await db.delete(sessions).where(condition).returning({ id: sessions.id });
  return ended.length;
}

export async function listUserSessions(db: Executor, userId: string) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
}
