import type { DataExport, Locale, Profile, SessionInfo } from '@sabor/contracts';
import {
  comments,
  consultationFollows,
  events,
  registrations,
  loginFailures,
  outboxMails,
  sessions,
  userTokens,
  users,
  type UserRow,
} from '@sabor/db';
import { and, desc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import { ApiError, fieldError } from '../../errors';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { assertPasswordAcceptable, type AuthDeps } from '../auth/service';
import { invalidateUserSessions, listUserSessions, toSessionUser } from '../auth/session-service';
import { accountMail } from '../auth/mails';
import { enqueueMail } from '../mail/outbox';

export function toProfile(user: UserRow): Profile {
  return { ...toSessionUser(user), createdAt: user.createdAt.toISOString() };
}

export async function updateProfile(
  deps: AuthDeps,
  userId: string,
  changes: { displayName?: string | undefined; locale?: Locale | undefined },
): Promise<Profile> {
  const [user] = await deps.db
    .update(users)
    .set({
      ...(changes.displayName !== undefined && { displayName: changes.displayName }),
      ...(changes.locale !== undefined && { locale: changes.locale }),
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw new ApiError(404, 'not_found');
  return toProfile(user);
}

/** Changes the password after checking the current one; every other session ends. */
export async function changePassword(
  deps: AuthDeps,
  user: UserRow,
  currentSessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw fieldError('currentPassword', 'password_incorrect', 400, 'password_incorrect');
  }
  assertPasswordAcceptable(newPassword, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    await invalidateUserSessions(tx, user.id, currentSessionId);
    await enqueueMail(tx, {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      mail: accountMail(
        { kind: 'password_changed', displayName: user.displayName },
        user.locale,
        deps.config.site.name[user.locale],
      ),
      siteName: deps.config.site.name[user.locale],
    });
  });
  deps.onMailQueued?.();
}

export async function sessionsOf(
  deps: AuthDeps,
  userId: string,
  currentSessionId: string | null,
): Promise<SessionInfo[]> {
  const rows = await listUserSessions(deps.db, userId);
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    userAgent: row.userAgent,
    ip: row.ip,
    current: row.id === currentSessionId,
  }));
}

/** Ends one of the caller's own sessions; another person's session id is "not found". */
export async function revokeSession(
  deps: AuthDeps,
  userId: string,
  sessionId: string,
): Promise<void> {
  const ended = await deps.db
    .delete(sessions)
    .where(sql`${sessions.id} = ${sessionId} and ${sessions.userId} = ${userId}`)
    .returning({ id: sessions.id });
  if (ended.length === 0) throw new ApiError(404, 'not_found');
}

/** Everything stored about the person (GDPR access and portability). */
export async function exportData(
  deps: AuthDeps,
  user: UserRow,
  currentSessionId: string | null,
): Promise<DataExport> {
  const mails = await deps.db
    .select({
      subject: outboxMails.subject,
      createdAt: outboxMails.createdAt,
      status: outboxMails.status,
    })
    .from(outboxMails)
    .where(eq(outboxMails.userId, user.id))
    .orderBy(desc(outboxMails.createdAt));
  const written = await deps.db
    .select()
    .from(comments)
    .where(eq(comments.authorId, user.id))
    .orderBy(comments.createdAt);
  const follows = await deps.db
    .select()
    .from(consultationFollows)
    .where(eq(consultationFollows.userId, user.id))
    .orderBy(consultationFollows.createdAt);
  const registered = await deps.db
    .select({ registration: registrations, event: events })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(eq(registrations.userId, user.id))
    .orderBy(registrations.createdAt);
  return {
    exportedAt: new Date().toISOString(),
    profile: toProfile(user),
    sessions: await sessionsOf(deps, user.id, currentSessionId),
    mails: mails.map((mail) => ({ ...mail, createdAt: mail.createdAt.toISOString() })),
    comments: written.map((comment) => ({
      id: comment.id,
      consultationId: comment.consultationId,
      parentId: comment.parentId,
      stance: comment.stance,
      body: comment.body,
      createdAt: comment.createdAt.toISOString(),
      editedAt: comment.editedAt?.toISOString() ?? null,
      deletedAt: comment.deletedAt?.toISOString() ?? null,
    })),
    follows: follows.map((follow) => ({
      consultationId: follow.consultationId,
      since: follow.createdAt.toISOString(),
    })),
    eventRegistrations: registered.map(({ registration, event }) => ({
      id: registration.id,
      eventId: event.id,
      eventTitle: event.titleBg,
      status: registration.status,
      name: registration.name,
      email: registration.email,
      answers: registration.answers,
      createdAt: registration.createdAt.toISOString(),
      checkedInAt: registration.checkedInAt?.toISOString() ?? null,
    })),
  };
}

/**
 * Deletes the account: ends sessions and removes personal data, but keeps the row so content the
 * person wrote stays in its threads, attributed to "deleted user".
 */
export async function deleteAccount(
  deps: AuthDeps,
  user: UserRow,
  password: string,
): Promise<void> {
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
    throw fieldError('password', 'password_incorrect', 400, 'password_incorrect');
  }
  await deps.db.transaction(async (tx) => {
    await invalidateUserSessions(tx, user.id);
    await tx.delete(userTokens).where(eq(userTokens.userId, user.id));
    await tx.delete(consultationFollows).where(eq(consultationFollows.userId, user.id));
    await tx.delete(outboxMails).where(eq(outboxMails.userId, user.id));
    await tx.delete(loginFailures).where(eq(loginFailures.email, user.email));
    // Seats of events still ahead are given up (the event scheduler passes them to the waitlist);
    // every registration loses its name, email, answers and link to the account.
    await tx
      .update(registrations)
      .set({ status: 'cancelled', cancelledAt: sql`now()`, cancelReason: 'attendee' })
      .where(
        and(
          eq(registrations.userId, user.id),
          ne(registrations.status, 'cancelled'),
          inArray(
            registrations.eventId,
            tx
              .select({ id: events.id })
              .from(events)
              .where(gt(events.endsAt, sql`now()`)),
          ),
        ),
      );
    await tx
      .update(registrations)
      .set({ name: null, email: null, answers: {}, userId: null, updatedAt: sql`now()` })
      .where(eq(registrations.userId, user.id));
    await tx
      .update(users)
      .set({
        email: `deleted-${user.id}@deleted.invalid`,
        displayName: '',
        passwordHash: null,
        emailVerifiedAt: null,
        suspendedReason: null,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, user.id));
  });
}
