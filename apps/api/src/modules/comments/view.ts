import {
  commentEditWindowMinutes,
  type Comment,
  type CommentModeration,
  type HoldReason,
  type ProposalResponse,
} from '@sabor/contracts';
import type { CommentRow } from '@sabor/db';
import { renderMarkdown } from '../../markdown';
import type { CommentViewRow } from './repository';

export const editWindowMs = commentEditWindowMinutes * 60 * 1000;

export interface ViewContext {
  viewerId: string | null;
  supported: ReadonlySet<string>;
  /** Whether the consultation is open, i.e. its comments can still be edited. */
  open: boolean;
  now: Date;
  /** Official responses by proposal id (missing: none yet). */
  responses?: ReadonlyMap<string, ProposalResponse>;
  /** Comments the viewer has reported. */
  reported?: ReadonlySet<string>;
  /** The viewer is a moderator or admin: hidden text and hold reasons are shown. */
  staff?: boolean;
  /** Why held comments were held, by id (for their authors and staff). */
  holdReasons?: ReadonlyMap<string, HoldReason>;
}

type ModerationColumns = Pick<CommentRow, 'moderationState' | 'moderationReasonCode'>;

/**
 * A held comment a moderator hid before it was ever published. It stays out of the thread
 * (`held` in the database: never counted, never announced) and reads as hidden, with the reason,
 * to its author and moderators.
 */
export function isRefused(row: ModerationColumns): boolean {
  return row.moderationState === 'held' && row.moderationReasonCode !== null;
}

/** The moderation state readers are shown (a refused held comment shows as hidden). */
export function shownState(row: ModerationColumns): CommentModeration['state'] {
  return isRefused(row) ? 'hidden' : row.moderationState;
}

/** Live events carry no viewer: nothing is "mine" or supported, nothing editable. */
export const publicContext = (now: Date): ViewContext => ({
  viewerId: null,
  supported: new Set(),
  open: false,
  now,
});

/** The API's view of a comment for one reader; deleted comments show no text. */
export function toComment(row: CommentViewRow, context: ViewContext): Comment {
  const deleted = row.deletedAt !== null;
  const mine = context.viewerId !== null && row.authorId === context.viewerId;
  const state = shownState(row);
  // Hidden text stays for its author and the moderators; everyone else reads only the reason.
  const privileged = mine || context.staff === true;
  const textShown = !deleted && (state !== 'hidden' || privileged);
  const editableUntil = new Date(row.createdAt.getTime() + editWindowMs);
  const editable =
    mine && !deleted && state !== 'hidden' && context.open && context.now < editableUntil;
  return {
    id: row.id,
    consultationId: row.consultationId,
    parentId: row.parentId,
    rootId: row.rootId ?? row.id,
    depth: row.depth,
    author: { id: row.authorId, displayName: row.authorName },
    stance: row.stance,
    bodyHtml: textShown ? renderMarkdown(row.body) : '',
    body: textShown ? row.body : '',
    versionNumber: row.versionNumber,
    supportCount: row.supportCount,
    supportedByMe: context.supported.has(row.id),
    replyCount: row.replyCount,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deleted,
    mine,
    editableUntil: editable ? editableUntil.toISOString() : null,
    response: context.responses?.get(row.id) ?? null,
    moderation: {
      state,
      reasonCode: state === 'hidden' ? row.moderationReasonCode : null,
      reasonText: state === 'hidden' ? row.moderationReasonText : null,
      holdReason:
        state === 'held' && privileged ? (context.holdReasons?.get(row.id) ?? null) : null,
    },
    reportedByMe: context.reported?.has(row.id) ?? false,
  };
}
