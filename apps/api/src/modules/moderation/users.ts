import type { ModerationUser, ModeratorNote } from '@sabor/contracts';
import {
  auditLog,
  comments,
  moderationDecisionLog,
  moderatorNotes,
  users,
  type Database,
  type Executor,
} from '@sabor/db';
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { notFound } from '../../errors';
import { recordAudit } from '../audit/record';
import type { AuthDeps } from '../auth/service';
import { isSuspended } from '../auth/session-service';
import { lockAccountForAction, type Actor } from '../users/service';
import { sendNotice } from './notices';

/** Earlier decisions shown with a user (the newest). */
const decisionsShown = 50;
/** Warnings, suspensions and lifts shown with a user (the newest). */
const accountActionsShown = 50;
/** Private notes shown with a user (the newest). */
const notesShown = 100;

/** The audit actions that are about a person's account standing. */
export const accountActionNames = ['user.warned', 'user.suspended', 'user.unsuspended'] as const;

const person = (row: { id: string | null; displayName: string | null }) =>
  row.id === null ? null : { id: row.id, displayName: row.displayName ?? '' };

/**
 * Everything a moderator weighs about a person: account age and role, standing (suspended until
 * when, and why), how much they wrote and how much of it is hidden, the newest decisions on their
 * items with who decided, warnings and suspensions from the audit log, and private notes (newest
 * first). A deleted account is shown too (its history stays); an unknown id is 404.
 */
export async function loadModerationUser(db: Executor, userId: string): Promise<ModerationUser> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound();
  const moderator = alias(users, 'moderator');
  const actor = alias(users, 'actor');

  const [written, decisions, actions, notes] = await Promise.all([
    db
      .select({
        total: count(),
        // A held comment a moderator hid stays held (never admitted) but carries the hide reason.
        hidden: sql<number>`count(*) filter (where ${comments.moderationState} = 'hidden'
          or (${comments.moderationState} = 'held' and ${comments.moderationReasonCode} is not null))`.mapWith(
          Number,
        ),
      })
      .from(comments)
      .where(and(eq(comments.authorId, userId), isNull(comments.deletedAt))),
    db
      .select({
        itemId: moderationDecisionLog.itemId,
        decision: moderationDecisionLog.decision,
        reasonCode: moderationDecisionLog.reasonCode,
        reasonText: moderationDecisionLog.reasonText,
        decidedAt: moderationDecisionLog.decidedAt,
        moderatorId: moderator.id,
        moderatorName: moderator.displayName,
      })
      .from(moderationDecisionLog)
      .innerJoin(moderator, eq(moderator.id, moderationDecisionLog.moderatorId))
      .where(eq(moderationDecisionLog.authorId, userId))
      .orderBy(desc(moderationDecisionLog.decidedAt), desc(moderationDecisionLog.id))
      .limit(decisionsShown),
    db
      .select({
        action: auditLog.action,
        reason: auditLog.reason,
        details: auditLog.details,
        createdAt: auditLog.createdAt,
        actorId: actor.id,
        actorName: actor.displayName,
      })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorId))
      .where(
        and(
          eq(auditLog.targetType, 'user'),
          eq(auditLog.targetId, userId),
          inArray(auditLog.action, [...accountActionNames]),
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(accountActionsShown),
    db
      .select({
        id: moderatorNotes.id,
        body: moderatorNotes.body,
        createdAt: moderatorNotes.createdAt,
        authorId: moderator.id,
        authorName: moderator.displayName,
      })
      .from(moderatorNotes)
      .innerJoin(moderator, eq(moderator.id, moderatorNotes.authorId))
      .where(eq(moderatorNotes.userId, userId))
      .orderBy(desc(moderatorNotes.createdAt), desc(moderatorNotes.id))
      .limit(notesShown),
  ]);

  const suspended = isSuspended(user);
  return {
    id: user.id,
    displayName: user.displayName,
    role: user.role,
    accountCreatedAt: user.createdAt.toISOString(),
    suspended,
    suspendedReason: suspended ? user.suspendedReason : null,
    suspendedUntil: suspended ? (user.suspendedUntil?.toISOString() ?? null) : null,
    commentCount: written[0]?.total ?? 0,
    hiddenCount: written[0]?.hidden ?? 0,
    decisions: decisions.map((row) => ({
      itemId: row.itemId,
      decision: row.decision,
      reasonCode: row.reasonCode,
      reasonText: row.reasonText,
      decidedAt: row.decidedAt.toISOString(),
      moderator: { id: row.moderatorId, displayName: row.moderatorName },
    })),
    accountActions: actions.map((row) => ({
      action: row.action,
      reason: row.reason,
      actor: person({ id: row.actorId, displayName: row.actorName }),
      createdAt: row.createdAt.toISOString(),
      until: untilOf(row.details),
    })),
    notes: notes.map((row) => ({
      id: row.id,
      body: row.body,
      author: { id: row.authorId, displayName: row.authorName },
      createdAt: row.createdAt.toISOString(),
    })),
  };
}

/** `details.until` of a suspension entry: an ISO time, or null (permanent, or not a suspension). */
function untilOf(details: Record<string, unknown> | null): string | null {
  const until = details?.until;
  return typeof until === 'string' && !Number.isNaN(Date.parse(until))
    ? new Date(until).toISOString()
    : null;
}

/**
 * Warns a person: the audit log records it with the reason, and they get a notice (in the app, by
 * mail to a verified address, live). The account stays active. Same rules as suspending: not
 * oneself, a moderator only residents.
 */
export async function warnUser(
  deps: AuthDeps,
  actor: Actor,
  targetId: string,
  reason: string,
): Promise<ModerationUser> {
  const mailed = await deps.db.transaction(async (tx) => {
    await lockAccountForAction(tx, actor, targetId);
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'user.warned',
      targetType: 'user',
      targetId,
      reason,
    });
    const sent = await sendNotice(tx, deps, {
      userId: targetId,
      kind: 'warning',
      reasonText: reason,
    });
    return sent.mailed;
  });
  if (mailed) deps.onMailQueued?.();
  return loadModerationUser(deps.db, targetId);
}

/**
 * Adds a private note on a person (any account, staff included: notes judge nothing). The audit
 * log records that a note was written and its id, never its text: the log is exported and kept
 * for ever, the note is for staff eyes only.
 */
export async function addModeratorNote(
  db: Database,
  authorId: string,
  userId: string,
  body: string,
): Promise<ModeratorNote> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw notFound();
    const [note] = await tx.insert(moderatorNotes).values({ userId, authorId, body }).returning();
    if (!note) throw new Error('moderator note insert returned no row');
    await recordAudit(tx, {
      actorId: authorId,
      action: 'moderation.note_added',
      targetType: 'user',
      targetId: userId,
      details: { noteId: note.id },
    });
    const [author] = await tx
      .select({ id: users.id, displayName: users.displayName })
      .from(users)
      .where(eq(users.id, authorId));
    return {
      id: note.id,
      body: note.body,
      author: author ?? { id: authorId, displayName: '' },
      createdAt: note.createdAt.toISOString(),
    };
  });
}
