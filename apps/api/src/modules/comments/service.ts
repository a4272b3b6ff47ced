import {
  consultationTopic,
  type Comment,
  type CommentSupport,
  type CreateCommentBody,
  type EditCommentBody,
} from '@sabor/contracts';
import { comments, commentSupports, type Database, type Executor } from '@sabor/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { ApiError, fieldError, forbidden, notFound } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { publishLiveEvent } from '../../live/outbox';
import { consultationStateOf } from '../../shared/consultation-state';
import { listResponses } from '../report/repository';
import { admitComment } from './admission';
import type { CommentModeration } from './moderation-hooks';
import * as repository from './repository';
import type { CommentViewRow } from './repository';
import { editWindowMs, shownState, toComment } from './view';

export interface CommentDeps {
  db: Database;
  /** Links in the mails that tell authors about holds. */
  config: Pick<Config, 'publicOrigin' | 'site'>;
  /** Called after a mail was queued so the sender delivers it soon. */
  onMailQueued?: () => void;
  /** Holds, queue items and notices: moderation's part in posting and editing. */
  moderation: CommentModeration;
}

const notOpen = () => new ApiError(409, 'consultation_not_open');
const commentHidden = () => new ApiError(409, 'comment_hidden');

/** Refuses writes unless the consultation is open; drafts do not exist for residents. */
function requireOpen<T extends { state: string }>(
  consultation: T | undefined,
): asserts consultation is T {
  if (!consultation || consultation.state === 'draft') throw notFound();
  if (consultation.state !== 'open') throw notOpen();
}

async function viewRowOf(tx: Executor, id: string): Promise<CommentViewRow> {
  const row = await repository.findCommentView(tx, id);
  if (!row) throw notFound();
  return row;
}

/** Where a new comment goes: a proposal at the top, or a reply one level under its parent. */
async function placementOf(
  tx: Executor,
  consultationId: string,
  id: string,
  parentId: string | undefined,
) {
  if (parentId === undefined) return { parentId: null, rootId: id, depth: 0 };
  const parent = await repository.lockReplyParent(tx, consultationId, parentId);
  if (!parent) {
    const existing = await repository.findComment(tx, parentId);
    if (existing?.consultationId === consultationId && existing.deletedAt) {
      throw new ApiError(409, 'comment_deleted');
    }
    throw fieldError('parentId', 'reply_parent_invalid');
  }
  return { parentId: parent.id, rootId: parent.rootId ?? parent.id, depth: parent.depth + 1 };
}

/**
 * Posts a proposal (with a stance) or a reply (without one) while the consultation is open. A reply
 * goes under a live comment of the same consultation, one level deeper. The automatic protection
 * runs first: a new account over its rate limits is refused (429), and a comment the rules hold
 * (pre-moderation, a new account's first comments, listed words, links from new accounts) waits
 * for a moderator; any other comment joins the thread at once (admitComment). All of it commits
 * together, with the mark of the request's Idempotency-Key claim when it has one.
 */
export async function createComment(
  deps: CommentDeps,
  consultationId: string,
  authorId: string,
  input: CreateCommentBody,
  claim: IdempotencyClaim | null = null,
): Promise<Comment> {
  if (input.parentId !== undefined && input.stance !== undefined) {
    throw fieldError('stance', 'stance_not_allowed');
  }
  let mailed = false;
  const comment = await deps.db.transaction(async (tx) => {
    const consultation = await repository.lockConsultationForComment(tx, consultationId);
    requireOpen(consultation);
    const hold = await deps.moderation.screen(tx, authorId, consultation, input.body);
    const id: string = crypto.randomUUID();
    const placement = await placementOf(tx, consultationId, id, input.parentId);
    const [inserted] = await tx
      .insert(comments)
      .values({
        id,
        consultationId,
        ...placement,
        authorId,
        stance: input.parentId === undefined ? (input.stance ?? null) : null,
        body: input.body,
        versionNumber: consultation.currentVersion,
        moderationState: hold ? 'held' : 'visible',
      })
      .returning();
    if (!inserted) throw new Error('comment insert returned no row');
    await markIdempotentWrite(tx, claim, id);
    let row: CommentViewRow;
    if (hold) {
      mailed = await deps.moderation.hold(tx, deps, inserted, hold);
      row = await viewRowOf(tx, id);
    } else row = await admitComment(tx, inserted);
    return toComment(row, {
      viewerId: authorId,
      supported: new Set(),
      open: true,
      now: new Date(),
      holdReasons: new Map(hold ? [[id, hold.reason]] : []),
    });
  });
  if (mailed) deps.onMailQueued?.();
  return comment;
}

/**
 * A comment its author posted, as the answer to posting it: a retry whose first attempt committed
 * (its Idempotency-Key claim was taken over with the comment's mark) gets this instead of a second
 * comment.
 */
export async function postedComment(
  deps: CommentDeps,
  commentId: string,
  authorId: string,
): Promise<Comment> {
  const row = await viewRowOf(deps.db, commentId);
  if (row.authorId !== authorId) throw forbidden();
  const state = await consultationStateOf(deps.db, row.consultationId);
  const held = row.moderationState === 'held';
  const responses = await listResponses(deps.db, [commentId]);
  return toComment(row, {
    viewerId: authorId,
    supported: await repository.supportedBy(deps.db, authorId, [commentId]),
    reported: await repository.reportedBy(deps.db, authorId, [commentId]),
    open: state === 'open',
    now: new Date(),
    responses: new Map(responses.map((response) => [response.commentId, response])),
    holdReasons: await repository.holdReasonsOf(deps.db, held ? [commentId] : []),
  });
}

/**
 * The author rewrites a comment within the edit window while the consultation is open; the stance
 * may change on a proposal only. `now` is the moment of the request (tests move it).
 */
export async function editComment(
  deps: CommentDeps,
  commentId: string,
  userId: string,
  input: EditCommentBody,
  now = new Date(),
): Promise<Comment> {
  return deps.db.transaction(async (tx) => {
    const found = await repository.findComment(tx, commentId);
    if (!found) throw notFound();
    // Consultation first, then the comment: the same lock order as posting a reply.
    const consultation = await repository.lockConsultationForComment(tx, found.consultationId);
    const row = await repository.lockComment(tx, commentId);
    if (!row) throw notFound();
    if (row.authorId !== userId) throw forbidden();
    if (row.deletedAt) throw new ApiError(409, 'comment_deleted');
    requireOpen(consultation);
    if (shownState(row) === 'hidden') throw commentHidden();
    if (now.getTime() - row.createdAt.getTime() > editWindowMs) {
      throw new ApiError(409, 'comment_edit_window_closed');
    }
    if (input.stance !== undefined && row.parentId !== null) {
      throw fieldError('stance', 'stance_not_allowed');
    }
    const [updated] = await tx
      .update(comments)
      .set({
        body: input.body,
        ...(input.stance !== undefined && { stance: input.stance }),
        editedAt: sql`now()`,
      })
      .where(eq(comments.id, commentId))
      .returning({ id: comments.id });
    if (!updated) throw notFound();
    const held = row.moderationState === 'held';
    // A held comment is judged on what it says now.
    if (held) await deps.moderation.heldCommentEdited(tx, commentId, input.body);
    const supported = await repository.supportedBy(tx, userId, [commentId]);
    const responses = await listResponses(tx, [commentId]);
    const comment = toComment(await viewRowOf(tx, commentId), {
      viewerId: userId,
      supported,
      reported: await repository.reportedBy(tx, userId, [commentId]),
      open: true,
      now,
      responses: new Map(responses.map((response) => [response.commentId, response])),
      holdReasons: await repository.holdReasonsOf(tx, held ? [commentId] : []),
    });
    // The thread's readers hear of edits to comments they can see; a held one is not theirs yet.
    if (!held) {
      await publishLiveEvent(tx, consultationTopic(row.consultationId), {
        type: 'comment_edited',
        id: comment.id,
        bodyHtml: comment.bodyHtml,
        body: comment.body,
        stance: comment.stance,
        // Just edited, so set; the view's type also covers comments never edited.
        editedAt: comment.editedAt ?? now.toISOString(),
      });
    }
    await deps.moderation.commentChanged(tx, commentId);
    return comment;
  });
}

/**
 * The author deletes a comment: the text goes, the row and its place in the thread (replies,
 * stance, supports) stay. Deleting again changes nothing.
 */
export async function deleteComment(
  deps: CommentDeps,
  commentId: string,
  userId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const found = await repository.findComment(tx, commentId);
    if (!found) throw notFound();
    // Once the consultation closes, its comments are the record the report is made from.
    const consultation = await repository.lockConsultationForComment(tx, found.consultationId);
    const row = await repository.lockComment(tx, commentId);
    if (!row) throw notFound();
    if (row.authorId !== userId) throw forbidden();
    if (row.deletedAt) return;
    requireOpen(consultation);
    await tx
      .update(comments)
      .set({ body: '', deletedAt: sql`now()` })
      .where(eq(comments.id, commentId));
    if (row.moderationState !== 'held') {
      await publishLiveEvent(tx, consultationTopic(row.consultationId), {
        type: 'comment_deleted',
        id: commentId,
      });
    }
    await deps.moderation.commentChanged(tx, commentId);
  });
}

/**
 * Adds or withdraws the user's one support of a comment while the consultation is open. Saying
 * the same thing twice changes nothing; the count moves in the same transaction as the support
 * row (a row-level increment, so concurrent supporters never lose one another's +1).
 */
export async function setSupport(
  deps: CommentDeps,
  commentId: string,
  userId: string,
  support: boolean,
): Promise<CommentSupport> {
  return deps.db.transaction(async (tx) => {
    const row = await repository.findComment(tx, commentId);
    if (!row) throw notFound();
    requireOpen(await repository.lockConsultationForComment(tx, row.consultationId));
    if (support) {
      if (row.deletedAt) throw new ApiError(409, 'comment_deleted');
      if (row.moderationState !== 'visible') throw commentHidden();
      if (row.authorId === userId) throw new ApiError(403, 'cannot_support_own_comment');
    }
    const changed = support
      ? await tx
          .insert(commentSupports)
          .values({ commentId, userId })
          .onConflictDoNothing()
          .returning({ id: commentSupports.commentId })
      : await tx
          .delete(commentSupports)
          .where(and(eq(commentSupports.commentId, commentId), eq(commentSupports.userId, userId)))
          .returning({ id: commentSupports.commentId });
    if (changed.length === 0) {
      // Nothing changed (said twice): answer with the count as it is now.
      const current = await repository.findComment(tx, commentId);
      return { supportCount: current?.supportCount ?? row.supportCount, supportedByMe: support };
    }
    const [counted] = await tx
      .update(comments)
      .set({ supportCount: sql`${comments.supportCount} ${support ? sql`+` : sql`-`} 1` })
      .where(eq(comments.id, commentId))
      .returning({ supportCount: comments.supportCount });
    if (!counted) throw notFound();
    await publishLiveEvent(tx, consultationTopic(row.consultationId), {
      type: 'support_changed',
      id: commentId,
      supportCount: counted.supportCount,
    });
    return { supportCount: counted.supportCount, supportedByMe: support };
  });
}
