import { consultationTopic } from '@sabor/contracts';
import { comments, type CommentRow, type Executor } from '@sabor/db';
import { eq } from 'drizzle-orm';
import { publishLiveEvent } from '../../live/outbox';
import { addFollow } from '../follows/service';
import * as repository from './repository';
import { publicContext, toComment } from './view';

/**
 * Brings a comment into its consultation's thread: it becomes visible, counts on its parent and in
 * the thread's totals (a first comment here also counts its author as a participant and makes them
 * a follower), and `comment_created` goes to the thread's readers. A comment posted without a hold
 * is admitted at once; a held one when a moderator approves (or restores) it, and not before.
 *
 * Run it in the transaction that writes the comment (or the decision), after locking the comment
 * and its consultation; lock nothing new after it. The parent is counted before the totals, in the
 * order posting a reply takes them, so a reply being posted and one being approved never wait on
 * each other in a cycle.
 * Returns the comment's row as read after admitting it (for the caller's own view of it).
 */
export async function admitComment(
  tx: Executor,
  comment: CommentRow,
): Promise<repository.CommentViewRow> {
  if (comment.moderationState !== 'visible') {
    await tx
      .update(comments)
      .set({ moderationState: 'visible', moderationReasonCode: null, moderationReasonText: null })
      .where(eq(comments.id, comment.id));
  }
  if (comment.parentId !== null) await repository.countReply(tx, comment.parentId);
  const row = await repository.findCommentView(tx, comment.id);
  if (!row) throw new Error(`admitted comment ${comment.id} not found`);
  await publishLiveEvent(tx, consultationTopic(comment.consultationId), {
    type: 'comment_created',
    comment: toComment(row, publicContext(new Date())),
  });
  // The thread's totals last: every comment of the consultation writes that one row, so its lock
  // is held only from here to the commit. Counting also locks the totals, so two first comments
  // of one resident (a double click in two tabs, or one posted while another is approved) count
  // them once as a participant.
  await repository.countComment(tx, comment.consultationId, {
    proposal: comment.parentId === null,
  });
  if (!(await repository.hasCommented(tx, comment.consultationId, comment.authorId, comment.id))) {
    await repository.countParticipant(tx, comment.consultationId);
    // A resident's first comment here makes them a follower (mails on responses, closing and
    // the report; one click in any of them unsubscribes). Later comments leave an unfollow alone.
    await addFollow(tx, comment.consultationId, comment.authorId);
  }
  return row;
}
