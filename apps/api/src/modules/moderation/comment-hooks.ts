import type { CommentModeration } from '../comments/moderation-hooks';
import { findListedWords, screenComment } from './holds';
import {
  enterHeldComment,
  publishCommentItemChanged,
  publishItemChanged,
  updateHeldWords,
} from './items';
import { sendNotice } from './notices';
import { loadSettings } from './settings';

/** Moderation's part in posting and editing comments (see CommentModeration). */
export const commentModeration: CommentModeration = {
  async screen(tx, authorId, consultation, body) {
    const settings = await loadSettings(tx);
    return screenComment(tx, settings, authorId, consultation, body);
  },

  /**
   * A held comment waits in the moderators' queue, out of the thread: its author is told why, the
   * open dashboards see it arrive, and the thread's readers see nothing of it.
   */
  async hold(tx, deps, comment, hold) {
    const itemId = await enterHeldComment(tx, comment, hold);
    const { mailed } = await sendNotice(tx, deps, {
      kind: 'comment_held',
      userId: comment.authorId,
      consultationId: comment.consultationId,
      commentId: comment.id,
      holdReason: hold.reason,
    });
    await publishItemChanged(tx, itemId);
    return mailed;
  },

  // The listed words are looked for again in the new text.
  async heldCommentEdited(tx, commentId, body) {
    await updateHeldWords(tx, commentId, findListedWords(body, await loadSettings(tx)));
  },

  commentChanged: publishCommentItemChanged,
};
