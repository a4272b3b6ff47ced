import { userTopic, type AdminUser, type Role, type UserLiveEvent } from '@sabor/contracts';
import { containsPattern, users, type Executor, type UserRow } from '@sabor/db';
import { and, count, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import type { AuthDeps } from '../auth/service';
import { publishLiveEvent } from '../../live/outbox';
import { invalidateUserSessions, isSuspended } from '../auth/session-service';
import { recordAudit } from '../audit/record';
import { enqueueMail } from '../mail/outbox';
import { suspensionMail } from './mails';

export function toAdminUser(user: UserRow): AdminUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    suspended: isSuspended(user),
    suspendedReason: isSuspended(user) ? user.suspendedReason : null,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function listUsers(
  deps: AuthDeps,
  query: { q?: string | undefined; role?: Role | undefined; page: number; pageSize: number },
) {
  const conditions: SQL[] = [isNull(users.deletedAt)];
  if (query.q) {
    const pattern = containsPattern(query.q);
    conditions.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern))!);
  }
  if (query.role) conditions.push(eq(users.role, query.role));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    deps.db
      .select()
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), users.id)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    deps.db.select({ value: count() }).from(users).where(where),
  ]);
  return {
    items: rows.map(toAdminUser),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.value ?? 0,
  };
}

async function findUser(deps: AuthDeps, id: string): Promise<UserRow> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)));
  if (!user) throw notFound();
  return user;
}

export async function changeRole(
  deps: AuthDeps,
  actorId: string,
  targetId: string,
  role: Role,
): Promise<AdminUser> {
  if (actorId === targetId) throw new ApiError(409, 'cannot_change_own_role');
  const before = await findUser(deps, targetId);
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(users.id, targetId))
      .returning();
    if (!user) throw notFound();
    await recordAudit(tx, {
      actorId,
      action: 'user.role_changed',
      targetType: 'user',
      targetId,
      details: { from: before.role, to: role },
    });
    return toAdminUser(user);
  });
}

/** Who acts on an account: their id and role decide what they may do to it. */
export interface Actor {
  id: string;
  role: Role;
}

/**
 * Locks the target account's row for the rest of the transaction (so a role change or another
 * suspension cannot slip in between the check and the change) and checks the actor may act on it:
 * nobody on themself (409), a moderator only on residents (403 `cannot_suspend_staff`), an admin on
 * anyone else. A deleted or unknown account is 404.
 */
export async function lockAccountForAction(
  tx: Executor,
  actor: Actor,
  targetId: string,
): Promise<UserRow> {
  if (actor.id === targetId) throw new ApiError(409, 'cannot_suspend_self');
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, targetId), isNull(users.deletedAt)))
    .for('update');
  if (!user) throw notFound();
  if (actor.role !== 'admin' && user.role !== 'resident')
    throw new ApiError(403, 'cannot_suspend_staff');
  return user;
}

export interface SuspendInput {
  reason: string;
  /** Days from now; null or absent: permanently. */
  durationDays?: number | null | undefined;
}

/**
 * Suspends an account for a number of days or permanently (the one implementation behind the admin
 * and the moderator routes). In one transaction: the suspension (suspending again replaces the
 * reason and the end), every session ends, the audit log records it with `details.until`, the
 * person is mailed (whatever the address's state: a suspended person cannot sign in to read an
 * in-app notice), and `account_suspended` on their live topic closes their open sockets on every
 * instance.
 */
export async function suspendUser(
  deps: AuthDeps,
  actor: Actor,
  targetId: string,
  input: SuspendInput,
): Promise<UserRow> {
  const days = input.durationDays ?? null;
  const result = await deps.db.transaction(async (tx) => {
    await lockAccountForAction(tx, actor, targetId);
    const [user] = await tx
      .update(users)
      .set({
        // A suspension still running keeps its start; an ended one is followed by a new one.
        suspendedAt: sql`case when ${users.suspendedAt} is not null and (${users.suspendedUntil} is null or ${users.suspendedUntil} > now()) then ${users.suspendedAt} else now() end`,
        suspendedReason: input.reason,
        suspendedUntil: days === null ? null : sql`now() + make_interval(days => ${days}::int)`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, targetId))
      .returning();
    if (!user) throw notFound();
    await invalidateUserSessions(tx, targetId);
    const until = user.suspendedUntil?.toISOString() ?? null;
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'user.suspended',
      targetType: 'user',
      targetId,
      reason: input.reason,
      details: { until },
    });
    await enqueueMail(tx, {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      mail: suspensionMail(
        { kind: 'account_suspended', displayName: user.displayName, reason: input.reason, until },
        user.locale,
        deps.config.site.name[user.locale],
      ),
      siteName: deps.config.site.name[user.locale],
    });
    const event: UserLiveEvent = { type: 'account_suspended' };
    await publishLiveEvent(tx, userTopic(targetId), event);
    return user;
  });
  deps.onMailQueued?.();
  return result;
}

/** Lifts a suspension (running or already ended); recorded in the audit log. */
export async function unsuspendUser(
  deps: AuthDeps,
  actor: Actor,
  targetId: string,
): Promise<UserRow> {
  return deps.db.transaction(async (tx) => {
    await lockAccountForAction(tx, actor, targetId);
    const [user] = await tx
      .update(users)
      .set({
        suspendedAt: null,
        suspendedReason: null,
        suspendedUntil: null,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, targetId))
      .returning();
    if (!user) throw notFound();
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'user.unsuspended',
      targetType: 'user',
      targetId,
    });
    return user;
  });
}
