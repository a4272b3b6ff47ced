import { consultationTopic, type CreateReportBody, type ReportReceipt } from '@sabor/contracts';
import {
  comments,
  moderationItems,
  moderationReports,
  type CommentRow,
  type Executor,
} from '@sabor/db';
import { and, countDistinct, eq, isNull, sql } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { publishLiveEvent } from '../../live/outbox';
import * as commentRepository from '../comments/repository';
import type { CommentDeps } from '../comments/service';
import { publishItemChanged } from './items';
import { sendNotice } from './notices';
import { loadSettings } from './settings';

/**
 * The comment's queue item gains a report: created if it has none, back in the queue (as
 * `reported`, entering now) if it was resolved, otherwise counted where it stands (a held or
 * auto-hidden item keeps its cause and its place).
 */
async function countReportOnItem(tx: Executor, comment: CommentRow): Promise<string> {
  const pending = sql`${moderationItems.status} = 'pending'`;
  const [item] = await tx
    .insert(moderationItems)
    .values({
      subjectType: 'comment',
      subjectId: comment.id,
      consultationId: comment.consultationId,
      authorId: comment.authorId,
      cause: 'reported',
      reportCount: 1,
      lastReportedAt: sql`now()`,
    })
    .onConflictDoUpdate({
      target: [moderationItems.subjectType, moderationItems.subjectId],
      set: {
        reportCount: sql`${moderationItems.reportCount} + 1`,
        lastReportedAt: sql`now()`,
        status: 'pending',
        cause: sql`case when ${pending} then ${moderationItems.cause} else 'reported' end`,
        enteredAt: sql`case when ${pending} then ${moderationItems.enteredAt} else now() end`,
      },
    })
    .returning({ id: moderationItems.id });
  if (!item) throw new Error('moderation item upsert returned no row');
  return item.id;
}

/** Distinct residents whose reports of the item no decision has dismissed yet. */
async function openReporters(tx: Executor, itemId: string): Promise<number> {
  const [row] = await tx
    .select({ value: countDistinct(moderationReports.reporterId) })
    .from(moderationReports)
    .where(and(eq(moderationReports.itemId, itemId), isNull(moderationReports.dismissedAt)));
  return row?.value ?? 0;
}

/**
 * Enough residents reported a visible comment: it is hidden pending review (no reason yet: the
 * public reads "hidden pending review"), its readers see it go, and its author is told.
 */
async function autoHide(
  tx: Executor,
  deps: CommentDeps,
  comment: CommentRow,
  itemId: string,
): Promise<boolean> {
  await tx
    .update(comments)
    .set({
      moderationState: 'hidden',
      moderationReasonCode: null,
      moderationReasonText: null,
      moderatedAt: sql`now()`,
    })
    .where(eq(comments.id, comment.id));
  await tx
    .update(moderationItems)
    .set({ cause: 'auto_hidden' })
    .where(eq(moderationItems.id, itemId));
  await publishLiveEvent(tx, consultationTopic(comment.consultationId), {
    type: 'comment_hidden',
    id: comment.id,
    moderation: { state: 'hidden', reasonCode: null, reasonText: null, holdReason: null },
  });
  const { mailed } = await sendNotice(tx, deps, {
    kind: 'comment_hidden',
    userId: comment.authorId,
    consultationId: comment.consultationId,
    commentId: comment.id,
    reasonCode: null,
  });
  return mailed;
}

/**
 * A resident reports a comment of an open or closed consultation, once. The report and the item's
 * place in the queue commit together (with the auto-hide when this report reaches the threshold),
 * and the moderators' dashboards hear of it. The comment is locked first, so two reports of the
 * same comment (a double submit, or the reports that cross the threshold) are counted one after
 * the other.
 */
export async function reportComment(
  deps: CommentDeps,
  commentId: string,
  reporterId: string,
  input: CreateReportBody,
  claim: IdempotencyClaim | null = null,
): Promise<ReportReceipt> {
  let mailed = false;
  const receipt = await deps.db.transaction(async (tx) => {
    const found = await commentRepository.findComment(tx, commentId);
    if (!found) throw notFound();
    const consultation = await commentRepository.lockConsultationForComment(
      tx,
      found.consultationId,
    );
    if (!consultation || consultation.state === 'draft') throw notFound();
    const comment = await commentRepository.lockComment(tx, commentId);
    if (!comment) throw notFound();
    if (comment.authorId === reporterId) throw new ApiError(403, 'cannot_report_own_comment');
    // A held comment is not in the thread: for anyone but its author it does not exist yet.
    if (comment.moderationState === 'held') throw notFound();
    if (comment.deletedAt) throw new ApiError(409, 'comment_deleted');
    if (comment.moderationState === 'hidden') throw new ApiError(409, 'comment_hidden');

    const itemId = await countReportOnItem(tx, comment);
    const [report] = await tx
      .insert(moderationReports)
      .values({ itemId, reporterId, reason: input.reason, details: input.details ?? null })
      .onConflictDoNothing()
      .returning({ id: moderationReports.id, createdAt: moderationReports.createdAt });
    // Rolls the item's count back with it.
    if (!report) throw new ApiError(409, 'already_reported');
    await markIdempotentWrite(tx, claim, report.id);

    const settings = await loadSettings(tx);
    if ((await openReporters(tx, itemId)) >= settings.autoHideReports) {
      mailed = await autoHide(tx, deps, comment, itemId);
    }
    await publishItemChanged(tx, itemId);
    return { status: 'received' as const, reportedAt: report.createdAt.toISOString() };
  });
  if (mailed) deps.onMailQueued?.();
  return receipt;
}

/** The receipt of a report its reporter made (for a retry whose first attempt committed). */
export async function reportReceipt(
  deps: CommentDeps,
  reportId: string,
  reporterId: string,
): Promise<ReportReceipt> {
  const [report] = await deps.db
    .select({ createdAt: moderationReports.createdAt })
    .from(moderationReports)
    .where(and(eq(moderationReports.id, reportId), eq(moderationReports.reporterId, reporterId)));
  if (!report) throw notFound();
  return { status: 'received', reportedAt: report.createdAt.toISOString() };
}
