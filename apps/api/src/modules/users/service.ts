import type { AdminUser, Role } from '@sabor/contracts';
import { containsPattern, users, type UserRow } from '@sabor/db';
import { and, count, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import type { AuthDeps } from '../auth/service';
import { invalidateUserSessions } from '../auth/session-service';
import { recordAudit } from '../audit/record';
import { enqueueMail } from '../mail/outbox';

export function toAdminUser(user: UserRow): AdminUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    suspended: user.suspendedAt !== null,
    suspendedReason: user.suspendedReason,
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

/** Suspends an account: it cannot sign in, its sessions end at once, and the person is told why. */
export async function suspendUser(
  deps: AuthDeps,
  actorId: string,
  targetId: string,
  reason: string,
): Promise<AdminUser> {
  if (actorId === targetId) throw new ApiError(409, 'cannot_suspend_self');
  await findUser(deps, targetId);
  const result = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({
        suspendedAt: sql`coalesce(${users.suspendedAt}, now())`,
        suspendedReason: reason,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, targetId))
      .returning();
    if (!user) throw notFound();
    await invalidateUserSessions(tx, targetId);
    await recordAudit(tx, {
      actorId,
      action: 'user.suspended',
      targetType: 'user',
      targetId,
      reason,
    });
    await enqueueMail(tx, {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      template: { kind: 'account_suspended', displayName: user.displayName, reason },
      siteName: deps.config.site.name[user.locale],
    });
    return toAdminUser(user);
  });
  deps.onMailQueued?.();
  return result;
}

export async function unsuspendUser(
  deps: AuthDeps,
  actorId: string,
  targetId: string,
): Promise<AdminUser> {
  await findUser(deps, targetId);
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ suspendedAt: null, suspendedReason: null, updatedAt: sql`now()` })
      .where(eq(users.id, targetId))
      .returning();
    if (!user) throw notFound();
    await recordAudit(tx, { actorId, action: 'user.unsuspended', targetType: 'user', targetId });
    return toAdminUser(user);
  });
}
