import {
  consultationTopic,
  errorMessages,
  type HideReasonCode,
  type Locale,
  type ModerationBulkResult,
  type ModerationDecision,
  type ModerationDecisionBody,
  type ModerationItem,
} from '@sabor/contracts';
import {
  comments,
  moderationDecisionLog,
  moderationItems,
  moderationReports,
  type CommentRow,
  type Executor,
  type ModerationItemRow,
} from '@sabor/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import { publishLiveEvent } from '../../live/outbox';
import { recordAudit } from '../audit/record';
import { admitComment } from '../comments/admission';
import * as commentRepository from '../comments/repository';
import type { CommentDeps } from '../comments/service';
import { isRefused, publicContext, shownState, toComment } from '../comments/view';
import { findItem, publishItemChanged } from './items';
import { sendNotice, type NoticeInput } from './notices';

const decisionOf = {
  approve: 'approved',
  hide: 'hidden',
  restore: 'restored',
  review: 'reviewed',
} as const satisfies Record<ModerationDecisionBody['action'], ModerationDecision>;

/** What a decision did to the comment, for the author's notice. */
type Outcome = NoticeInput['kind'] | null;

/**
 * Resolves the item for this decision. approve, hide and review decide a pending item: of two
 * moderators deciding at once exactly one updates it, the other is told it is decided. restore
 * may also reopen the decision on a resolved item.
 */
async function claimItem(
  tx: Executor,
  itemId: string,
  moderatorId: string,
  decision: ModerationDecision,
): Promise<ModerationItemRow> {
  const [claimed] = await tx
    .update(moderationItems)
    .set({ status: 'resolved', decision, decidedBy: moderatorId, decidedAt: sql`now()` })
    .where(
      decision === 'restored'
        ? eq(moderationItems.id, itemId)
        : and(eq(moderationItems.id, itemId), eq(moderationItems.status, 'pending')),
    )
    .returning();
  if (!claimed) throw new ApiError(409, 'moderation_already_decided');
  return claimed;
}

/** The reports so far are answered: they no longer count towards an auto-hide. */
async function dismissReports(tx: Executor, itemId: string): Promise<void> {
  await tx
    .update(moderationReports)
    .set({ dismissedAt: sql`now()` })
    .where(and(eq(moderationReports.itemId, itemId), isNull(moderationReports.dismissedAt)));
  await tx.update(moderationItems).set({ reportCount: 0 }).where(eq(moderationItems.id, itemId));
}

/** A hidden comment is visible again: its readers get it back with its text. */
async function restoreVisible(tx: Executor, comment: CommentRow): Promise<void> {
  await tx
    .update(comments)
    .set({
      moderationState: 'visible',
      moderationReasonCode: null,
      moderationReasonText: null,
      moderatedAt: sql`now()`,
    })
    .where(eq(comments.id, comment.id));
  const row = await commentRepository.findCommentView(tx, comment.id);
  if (!row) throw notFound();
  await publishLiveEvent(tx, consultationTopic(comment.consultationId), {
    type: 'comment_restored',
    comment: toComment(row, publicContext(new Date())),
  });
}

/** Shows a comment that is not: a held one joins the thread, a hidden one comes back. */
async function showComment(tx: Executor, comment: CommentRow): Promise<Outcome> {
  if (comment.moderationState === 'held') {
    await admitComment(tx, comment);
    await tx
      .update(comments)
      .set({ moderatedAt: sql`now()` })
      .where(eq(comments.id, comment.id));
    return 'comment_approved';
  }
  if (comment.moderationState === 'hidden') {
    await restoreVisible(tx, comment);
    return 'comment_restored';
  }
  return null;
}

/**
 * Hides with a public reason. A held comment stays out of the thread (held, now with the reason:
 * see isRefused) and nobody but its author and the moderators ever hears of it; any other comment
 * is hidden from its readers live.
 */
async function hideComment(
  tx: Executor,
  comment: CommentRow,
  reasonCode: HideReasonCode,
  reasonText: string | null,
): Promise<void> {
  await tx
    .update(comments)
    .set({
      ...(comment.moderationState !== 'held' && { moderationState: 'hidden' as const }),
      moderationReasonCode: reasonCode,
      moderationReasonText: reasonText,
      moderatedAt: sql`now()`,
    })
    .where(eq(comments.id, comment.id));
  if (comment.moderationState === 'held') return;
  await publishLiveEvent(tx, consultationTopic(comment.consultationId), {
    type: 'comment_hidden',
    id: comment.id,
    moderation: { state: 'hidden', reasonCode, reasonText, holdReason: null },
  });
}

/** Refusals that depend on the comment, checked once it is locked. */
function checkDecidable(action: ModerationDecisionBody['action'], comment: CommentRow): void {
  if (action === 'restore' && shownState(comment) !== 'hidden') {
    throw new ApiError(409, 'moderation_not_hidden');
  }
  // "Reviewed" leaves a comment as it is; a held one would wait out of the thread for ever.
  if (action === 'review' && comment.moderationState === 'held' && !isRefused(comment)) {
    throw new ApiError(409, 'moderation_held_needs_decision');
  }
}

/** Applies the decision to the comment; answers which notice its author gets (if any). */
async function applyDecision(
  tx: Executor,
  body: ModerationDecisionBody,
  comment: CommentRow,
  itemId: string,
): Promise<Outcome> {
  switch (body.action) {
    case 'approve':
    case 'restore': {
      const outcome = await showComment(tx, comment);
      await dismissReports(tx, itemId);
      return outcome;
    }
    case 'hide':
      await hideComment(tx, comment, body.reasonCode, body.reasonText ?? null);
      return 'comment_hidden';
    case 'review':
      await dismissReports(tx, itemId);
      return null;
  }
}

/** The reason as the audit log keeps it: the template's code, and the moderator's words. */
function auditReason(body: ModerationDecisionBody): string | null {
  if (body.action !== 'hide') return null;
  return [body.reasonCode, body.reasonText].filter(Boolean).join(': ');
}

/**
 * A moderator decides an item. The comment's change, the author's notice, the decision log, the
 * audit entry and the live events (the thread's and the queue's) commit in one transaction. The
 * consultation and then the comment are locked first, in the order posting and reporting take
 * them, so a decision waits for a report being filed (and the other way round).
 */
async function decideInTransaction(
  tx: Executor,
  deps: CommentDeps,
  itemId: string,
  moderatorId: string,
  body: ModerationDecisionBody,
): Promise<boolean> {
  const [target] = await tx
    .select({ subjectId: moderationItems.subjectId })
    .from(moderationItems)
    .where(eq(moderationItems.id, itemId));
  if (!target) throw notFound();
  const found = await commentRepository.findComment(tx, target.subjectId);
  if (!found) throw notFound();
  await commentRepository.lockConsultationForComment(tx, found.consultationId);
  const comment = await commentRepository.lockComment(tx, found.id);
  if (!comment) throw notFound();
  checkDecidable(body.action, comment);

  const decision = decisionOf[body.action];
  const item = await claimItem(tx, itemId, moderatorId, decision);
  const outcome = await applyDecision(tx, body, comment, itemId);
  const reasonCode = body.action === 'hide' ? body.reasonCode : null;
  const reasonText = body.action === 'hide' ? (body.reasonText ?? null) : null;
  await tx.insert(moderationDecisionLog).values({
    itemId,
    authorId: comment.authorId,
    moderatorId,
    decision,
    reasonCode,
    reasonText,
    enteredAt: item.enteredAt,
  });
  await recordAudit(tx, {
    actorId: moderatorId,
    action: `moderation.${decision}`,
    targetType: 'comment',
    targetId: comment.id,
    reason: auditReason(body),
    details: { itemId, consultationId: comment.consultationId, cause: item.cause, reasonCode },
  });
  let mailed = false;
  if (outcome) {
    const notice = await sendNotice(tx, deps, {
      kind: outcome,
      userId: comment.authorId,
      consultationId: comment.consultationId,
      commentId: comment.id,
      reasonCode,
      reasonText,
    });
    mailed = notice.mailed;
  }
  await publishItemChanged(tx, itemId);
  return mailed;
}

/** Decides one item (see decideInTransaction) and answers with it as it now stands. */
export async function decideItem(
  deps: CommentDeps,
  itemId: string,
  moderatorId: string,
  body: ModerationDecisionBody,
  locale: Locale,
): Promise<ModerationItem> {
  const mailed = await deps.db.transaction((tx) =>
    decideInTransaction(tx, deps, itemId, moderatorId, body),
  );
  if (mailed) deps.onMailQueued?.();
  const item = await findItem(deps.db, eq(moderationItems.id, itemId), locale);
  if (!item) throw notFound();
  return item;
}

/**
 * The same decision on several items, each in its own transaction and in the order given: an item
 * another moderator decided first (or that cannot take this decision) is reported with its error
 * code and message, and the others are still decided.
 */
export async function decideItems(
  deps: CommentDeps,
  itemIds: string[],
  moderatorId: string,
  body: ModerationDecisionBody,
  locale: Locale,
): Promise<ModerationBulkResult> {
  const results: ModerationBulkResult['results'] = [];
  for (const itemId of new Set(itemIds)) {
    try {
      results.push({
        itemId,
        ok: true,
        item: await decideItem(deps, itemId, moderatorId, body, locale),
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({
        itemId,
        ok: false,
        code: error.code,
        message: errorMessages[error.code][locale],
      });
    }
  }
  return { results };
}
