import { commentEditWindowMinutes, type Comment, type ProposalResponse } from '@sabor/contracts';
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
  const editableUntil = new Date(row.createdAt.getTime() + editWindowMs);
  const editable = mine && !deleted && context.open && context.now < editableUntil;
  return {
    id: row.id,
    consultationId: row.consultationId,
    parentId: row.parentId,
    rootId: row.rootId ?? row.id,
    depth: row.depth,
    author: { id: row.authorId, displayName: row.authorName },
    stance: row.stance,
    bodyHtml: deleted ? '' : renderMarkdown(row.body),
    body: deleted ? '' : row.body,
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
      state: row.moderationState,
      reasonCode: row.moderationReasonCode,
      reasonText: row.moderationReasonText,
      holdReason: null,
    },
    reportedByMe: context.reported?.has(row.id) ?? false,
  };
}
