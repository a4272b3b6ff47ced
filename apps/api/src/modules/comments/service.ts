import type { Comment, CommentSupport, CreateCommentBody, EditCommentBody } from '@sabor/contracts';
import { comments, commentSupports, type Database, type Executor } from '@sabor/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { ApiError, fieldError, forbidden, notFound } from '../../errors';
import { publishLiveEvent } from '../../live/outbox';
import { consultationTopic } from '../consultations/service';
import { addFollow } from '../follows/service';
import { listResponses } from '../report/repository';
import * as repository from './repository';
import type { CommentViewRow } from './repository';
import { editWindowMs, publicContext, toComment } from './view';

export interface CommentDeps {
  db: Database;
}

const notOpen = () => new ApiError(409, 'consultation_not_open');

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

/**
 * Posts a proposal (with a stance) or a reply (without one) while the consultation is open. A reply
 * goes under a live comment of the same consultation, one level deeper, and counts on its parent.
 * The comment and its live event commit together.
 */
export async function createComment(
  deps: CommentDeps,
  consultationId: string,
  authorId: string,
  input: CreateCommentBody,
): Promise<Comment> {
  if (input.parentId !== undefined && input.stance !== undefined) {
    throw fieldError('stance', 'stance_not_allowed');
  }
  return deps.db.transaction(async (tx) => {
    const consultation = await repository.lockConsultationForComment(tx, consultationId);
    requireOpen(consultation);
    const id: string = crypto.randomUUID();
    let placement = { parentId: null as string | null, rootId: id, depth: 0 };
    if (input.parentId !== undefined) {
      // Counting the reply locks the parent, so it cannot be deleted under us.
      const [parent] = await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} + 1` })
        .where(
          and(
            eq(comments.id, input.parentId),
            eq(comments.consultationId, consultationId),
            isNull(comments.deletedAt),
          ),
        )
        .returning({ id: comments.id, rootId: comments.rootId, depth: comments.depth });
      if (!parent) {
        const existing = await repository.findComment(tx, input.parentId);
        if (existing?.consultationId === consultationId) throw new ApiError(409, 'comment_deleted');
        throw fieldError('parentId', 'reply_parent_invalid');
      }
      placement = {
        parentId: parent.id,
        rootId: parent.rootId ?? parent.id,
        depth: parent.depth + 1,
      };
    }
    // Counting first also locks the thread's totals, so two first comments of one resident
    // (a double click in two tabs) cannot both count them as a new participant.
    await repository.countComment(tx, consultationId, { proposal: input.parentId === undefined });
    if (!(await repository.hasCommented(tx, consultationId, authorId))) {
      await repository.countParticipant(tx, consultationId);
      // A resident's first comment here makes them a follower (mails on responses, closing and
      // the report; one click in any of them unsubscribes). Later comments leave an unfollow alone.
      await addFollow(tx, consultationId, authorId);
    }
    await tx.insert(comments).values({
      id,
      consultationId,
      ...placement,
      authorId,
      stance: input.parentId === undefined ? (input.stance ?? null) : null,
      body: input.body,
      versionNumber: consultation.currentVersion,
    });
    const row = await viewRowOf(tx, id);
    const now = new Date();
    await publishLiveEvent(tx, consultationTopic(consultationId), {
      type: 'comment_created',
      comment: toComment(row, publicContext(now)),
    });
    return toComment(row, { viewerId: authorId, supported: new Set(), open: true, now });
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
    const supported = await repository.supportedBy(tx, userId, [commentId]);
    const responses = await listResponses(tx, [commentId]);
    const comment = toComment(await viewRowOf(tx, commentId), {
      viewerId: userId,
      supported,
      open: true,
      now,
      responses: new Map(responses.map((response) => [response.commentId, response])),
    });
    await publishLiveEvent(tx, consultationTopic(row.consultationId), {
      type: 'comment_edited',
      id: comment.id,
      bodyHtml: comment.bodyHtml,
      body: comment.body,
      stance: comment.stance,
      editedAt: comment.editedAt,
    });
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
    await publishLiveEvent(tx, consultationTopic(row.consultationId), {
      type: 'comment_deleted',
      id: commentId,
    });
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
