import type { CommentModeration } from '../comments/moderation-hooks';
import { findListedWords, screenComment } from './holds';
import {
  enterHeldComment,
  publishCommentItemChanged,
  publishItemChanged,
  updateHeldWords,
} from './items';
import { sendNotice } from './notices';
import type { SettingsCache } from './settings';

/**
 * Moderation's part in posting and editing comments (see CommentModeration), reading the
 * automatic protection's settings from `settings` rather than from the database each time.
 */
export const commentModeration = (settings: SettingsCache): CommentModeration => ({
  async screen(tx, authorId, consultation, body) {
    return screenComment(tx, await settings.read(tx), authorId, consultation, body);
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
    await updateHeldWords(tx, commentId, findListedWords(body, await settings.read(tx)));
  },

  commentChanged: publishCommentItemChanged,
});
