import { z } from 'zod';
import { defineRoutes } from './route';
import { idParamsSchema, idSchema, isoDateTime, multilineText, okSchema } from './common';
import {
  commentOrders,
  commentStances,
  type finalProposalDecisions,
  hideReasonCodes,
  holdReasons,
  limits,
  proposalDecisions,
} from './values';

/** A proposal's position on the draft; only top-level comments (proposals) carry one. */
export const commentStanceSchema = z.enum(commentStances);
export type CommentStance = z.infer<typeof commentStanceSchema>;

/** Authors may edit a comment for this long after posting it. */
export const commentEditWindowMinutes = 15;
/** Replies returned with each proposal in a thread page; the rest come from the replies route. */
export const repliesPerThread = 100;

/** Markdown as written: 1–5,000 characters after trimming, no control characters. */
const commentBody = multilineText(limits.commentBody).pipe(z.string().trim().min(1));

export const createCommentBodySchema = z
  .object({
    body: commentBody,
    /** Required on a proposal (no parentId); refused on a reply. */
    stance: commentStanceSchema.optional(),
    /** The comment answered; it must belong to the same consultation. */
    parentId: idSchema.optional(),
  })
  .refine((input) => input.parentId !== undefined || input.stance !== undefined, {
    path: ['stance'],
    message: 'required',
  });
export type CreateCommentBody = z.infer<typeof createCommentBodySchema>;

export const editCommentBodySchema = z.object({
  body: commentBody,
  /** Proposals only. */
  stance: commentStanceSchema.optional(),
});
export type EditCommentBody = z.infer<typeof editCommentBodySchema>;

export const commentOrderSchema = z.enum(commentOrders);
export type CommentOrder = z.infer<typeof commentOrderSchema>;

/** An opaque "show more" bookmark returned as `nextCursor`. */
const cursorSchema = z.string().min(1).max(200);

/** Strict: an unknown parameter is refused like a malformed one. */
export const commentListQuerySchema = z.strictObject({
  order: commentOrderSchema.default('newest'),
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type CommentListQuery = z.infer<typeof commentListQuerySchema>;

export const commentRepliesQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(repliesPerThread).default(repliesPerThread),
});
export type CommentRepliesQuery = z.infer<typeof commentRepliesQuerySchema>;

export const commentParamsSchema = z.object({ id: idSchema, commentId: idSchema });

/**
 * What became of a proposal (a top-level comment): received → under review → one of the final
 * decisions. Only a final decision may stand in a published report.
 */
export const proposalDecisionSchema = z.enum(proposalDecisions);
export type ProposalDecision = z.infer<typeof proposalDecisionSchema>;

export type FinalProposalDecision = (typeof finalProposalDecisions)[number];

/** The public official response shown under a proposal. Who on the staff wrote it is not public. */
export const proposalResponseSchema = z.object({
  commentId: z.uuid(),
  decision: proposalDecisionSchema,
  reason: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type ProposalResponse = z.infer<typeof proposalResponseSchema>;

/** Public reason templates a moderator hides with; `other` carries free text. */
export const hideReasonCodeSchema = z.enum(hideReasonCodes);
export type HideReasonCode = z.infer<typeof hideReasonCodeSchema>;

/** Why a comment was held for review when it was posted. */
export const holdReasonSchema = z.enum(holdReasons);
export type HoldReason = z.infer<typeof holdReasonSchema>;

/**
 * Who sees a comment. `held`: only its author (marked "awaiting moderation") and moderators;
 * `hidden`: everyone sees "hidden by moderator: <reason>", only moderators (and the author) the text.
 */
export const commentModerationSchema = z.object({
  state: z.enum(['visible', 'held', 'hidden']),
  /** Hidden: the public reason template. */
  reasonCode: hideReasonCodeSchema.nullable(),
  /** Hidden: the moderator's words (required with `other`, optional otherwise). */
  reasonText: z.string().nullable(),
  /** Held: why (shown to the author and moderators only). */
  holdReason: holdReasonSchema.nullable(),
});
export type CommentModeration = z.infer<typeof commentModerationSchema>;

export const commentSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  parentId: z.uuid().nullable(),
  /** The proposal this comment belongs under (itself for a proposal). */
  rootId: z.uuid(),
  /** 0 for a proposal; the pages indent up to 3 levels and show deeper replies flattened. */
  depth: z.number().int().min(0),
  author: z.object({ id: z.uuid(), displayName: z.string() }),
  stance: commentStanceSchema.nullable(),
  /** The body rendered as safe HTML (empty once deleted). */
  bodyHtml: z.string(),
  /** The Markdown as written (empty once deleted). */
  body: z.string(),
  /** The consultation version the comment was written on. */
  versionNumber: z.number().int(),
  supportCount: z.number().int().min(0),
  supportedByMe: z.boolean(),
  /** Direct replies. */
  replyCount: z.number().int().min(0),
  createdAt: isoDateTime,
  editedAt: isoDateTime.nullable(),
  deleted: z.boolean(),
  /** Written by the viewer. */
  mine: z.boolean(),
  /** Until when the viewer may still edit it; null when they may not. */
  editableUntil: isoDateTime.nullable(),
  /** The municipality's official response (proposals only). */
  response: proposalResponseSchema.nullable(),
  moderation: commentModerationSchema,
  /** The viewer has reported it (each resident may report a comment once). */
  reportedByMe: z.boolean(),
});
export type Comment = z.infer<typeof commentSchema>;

/** A proposal with its replies (every depth, oldest first, at most `repliesPerThread`). */
export const commentThreadSchema = commentSchema.extend({
  replies: z.array(commentSchema),
  /** Replies not included; fetch them from the replies route with `repliesCursor`. */
  moreReplies: z.number().int().min(0),
  repliesCursor: z.string().nullable(),
});
export type CommentThread = z.infer<typeof commentThreadSchema>;

export const commentListSchema = z.object({
  items: z.array(commentThreadSchema),
  nextCursor: z.string().nullable(),
  /** Proposals (top-level comments) in the consultation. */
  total: z.number().int(),
  /**
   * The newest live event id when this page was read: subscribe to `consultation:<id>` from it and
   * nothing committed after the read is missed (events already reflected may arrive again).
   */
  lastEventId: z.number().int().min(0),
});
export type CommentList = z.infer<typeof commentListSchema>;

export const commentRepliesSchema = z.object({
  items: z.array(commentSchema),
  nextCursor: z.string().nullable(),
});
export type CommentReplies = z.infer<typeof commentRepliesSchema>;

export const commentSupportSchema = z.object({
  supportCount: z.number().int().min(0),
  supportedByMe: z.boolean(),
});
export type CommentSupport = z.infer<typeof commentSupportSchema>;

/** Live event on `consultation:<id>`: a new comment (viewer fields false / null). */
export const commentCreatedEventSchema = z.object({
  type: z.literal('comment_created'),
  comment: commentSchema,
});
export const commentEditedEventSchema = z.object({
  type: z.literal('comment_edited'),
  id: z.uuid(),
  bodyHtml: z.string(),
  body: z.string(),
  stance: commentStanceSchema.nullable(),
  editedAt: isoDateTime,
});
export const commentDeletedEventSchema = z.object({
  type: z.literal('comment_deleted'),
  id: z.uuid(),
});
/**
 * Live event on `consultation:<id>`: a moderator hid a comment (or enough residents reported it).
 * Clients drop its text and show the reason.
 */
export const commentHiddenEventSchema = z.object({
  type: z.literal('comment_hidden'),
  id: z.uuid(),
  moderation: commentModerationSchema,
});
/**
 * Live event on `consultation:<id>`: a hidden comment is visible again, with its text (public view).
 * A held comment a moderator approves arrives as `comment_created` instead.
 */
export const commentRestoredEventSchema = z.object({
  type: z.literal('comment_restored'),
  comment: commentSchema,
});
export const supportChangedEventSchema = z.object({
  type: z.literal('support_changed'),
  id: z.uuid(),
  supportCount: z.number().int().min(0),
});

/** This feature's endpoints (see routes.ts): a consultation's thread and one's own comments. */
export const commentRoutes = defineRoutes({
  comments: {
    method: 'GET',
    path: '/api/consultations/:id/comments',
    access: 'public',
    tag: 'comments',
    summary: 'A page of proposals, newest, oldest or most supported first, with their replies',
    params: idParamsSchema,
    query: commentListQuerySchema,
    response: commentListSchema,
    errors: [400, 404],
  },
  commentReplies: {
    method: 'GET',
    path: '/api/consultations/:id/comments/:commentId/replies',
    access: 'public',
    tag: 'comments',
    summary: 'More replies under one proposal (every depth, oldest first)',
    params: commentParamsSchema,
    query: commentRepliesQuerySchema,
    response: commentRepliesSchema,
    errors: [400, 404],
  },
  postComment: {
    method: 'POST',
    path: '/api/consultations/:id/comments',
    access: 'user',
    tag: 'comments',
    summary: 'Post a proposal (with a stance) or a reply while the consultation is open',
    params: idParamsSchema,
    body: createCommentBodySchema,
    status: 201,
    response: commentSchema,
    // 429: a new account over its posting limits (comment_rate_limited).
    errors: [400, 401, 403, 404, 409, 429],
    idempotent: 'resumable',
  },
  editComment: {
    method: 'PATCH',
    path: '/api/comments/:id',
    access: 'user',
    tag: 'comments',
    summary: 'Edit my comment within 15 minutes of posting it',
    params: idParamsSchema,
    body: editCommentBodySchema,
    response: commentSchema,
    errors: [400, 401, 403, 404, 409],
  },
  deleteComment: {
    method: 'DELETE',
    path: '/api/comments/:id',
    access: 'user',
    tag: 'comments',
    summary: 'Delete my comment: the text goes, its place in the thread stays',
    params: idParamsSchema,
    response: okSchema,
    errors: [400, 401, 403, 404, 409],
  },
  supportComment: {
    method: 'PUT',
    path: '/api/comments/:id/support',
    access: 'user',
    tag: 'comments',
    summary: 'Support a comment (once per resident; again changes nothing)',
    params: idParamsSchema,
    response: commentSupportSchema,
    errors: [400, 401, 403, 404, 409],
  },
  withdrawSupport: {
    method: 'DELETE',
    path: '/api/comments/:id/support',
    access: 'user',
    tag: 'comments',
    summary: 'Withdraw my support of a comment',
    params: idParamsSchema,
    response: commentSupportSchema,
    errors: [400, 401, 403, 404, 409],
  },
});
