import type { HoldReason } from '@sabor/contracts';
import type { CommentRow, Executor } from '@sabor/db';
import type { Config } from '../../config';

/** Why the rules hold a new comment for a moderator, and the listed words found in it. */
export interface CommentHold {
  reason: HoldReason;
  words: string[];
}

/**
 * What posting and editing a comment ask of moderation, each in the comment's transaction. The
 * moderation module, which is built on comments, implements it (moderation/comment-hooks.ts) and
 * app.ts hands it in with the comment routes' deps, so that comments never imports moderation.
 */
export interface CommentModeration {
  /**
   * The automatic protection before a comment is posted: throws 429 for a new account over its
   * limits; otherwise the hold the rules put on the comment, or null when it joins the thread.
   */
  screen(
    tx: Executor,
    authorId: string,
    consultation: { premoderated: boolean },
    body: string,
  ): Promise<CommentHold | null>;
  /** Queues a held comment for the moderators and tells its author; true when a mail was queued. */
  hold(
    tx: Executor,
    deps: { config: Pick<Config, 'publicOrigin' | 'site'> },
    comment: Pick<CommentRow, 'id' | 'consultationId' | 'authorId'>,
    hold: CommentHold,
  ): Promise<boolean>;
  /** The author rewrote a held comment: it is judged on what it says now. */
  heldCommentEdited(tx: Executor, commentId: string, body: string): Promise<void>;
  /** The author edited or deleted a comment: its queue item (if it has one) shows the change. */
  commentChanged(tx: Executor, commentId: string): Promise<void>;
}
