import { z } from 'zod';
import { defineRoutes } from './route';
import { roleSchema } from './auth';
import {
  commentModerationSchema,
  commentSchema,
  hideReasonCodeSchema,
  holdReasonSchema,
} from './comments';
import { idParamsSchema, idSchema, isoDateTime, lineText, multilineText, pageOf } from './common';
import {
  limits,
  moderationCauses,
  moderationItemStatuses,
  moderationQueueOrders,
  moderationSettingsRanges,
  reportReasons,
} from './values';

// ---------------------------------------------------------------------------------------------
// Residents: reports

export const reportReasonSchema = z.enum(reportReasons);
export type ReportReason = z.infer<typeof reportReasonSchema>;

/** A resident's report of a comment; `details` is required with `other`. */
export const createReportBodySchema = z
  .object({
    reason: reportReasonSchema,
    details: multilineText(limits.reportDetails).pipe(z.string().trim()).optional(),
  })
  .refine((value) => value.reason !== 'other' || Boolean(value.details), {
    path: ['details'],
    message: 'required',
  });
export type CreateReportBody = z.infer<typeof createReportBodySchema>;

/** What the reporter is told: the report is received (nothing about what others reported). */
export const reportReceiptSchema = z.object({
  status: z.literal('received'),
  reportedAt: isoDateTime,
});
export type ReportReceipt = z.infer<typeof reportReceiptSchema>;

// ---------------------------------------------------------------------------------------------
// Moderators: the queue

export const moderationCauseSchema = z.enum(moderationCauses);
export type ModerationCause = z.infer<typeof moderationCauseSchema>;
export const moderationDecisionSchema = z.enum(['approved', 'hidden', 'restored', 'reviewed']);
export type ModerationDecision = z.infer<typeof moderationDecisionSchema>;
export const moderationItemStatusSchema = z.enum(moderationItemStatuses);

const personSchema = z.object({ id: z.uuid(), displayName: z.string() });

/** A moderated comment as moderators see it: the text is always there, hidden or not. */
export const moderatedCommentSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  consultationTitle: z.string(),
  consultationSlug: z.string().nullable(),
  parentId: z.uuid().nullable(),
  depth: z.number().int(),
  body: z.string(),
  bodyHtml: z.string(),
  createdAt: isoDateTime,
  editedAt: isoDateTime.nullable(),
  deleted: z.boolean(),
  moderation: commentModerationSchema,
});
export type ModeratedComment = z.infer<typeof moderatedCommentSchema>;

export const moderationItemSchema = z.object({
  id: z.uuid(),
  subjectType: z.literal('comment'),
  comment: moderatedCommentSchema,
  author: personSchema.extend({
    accountCreatedAt: isoDateTime,
    suspended: z.boolean(),
  }),
  status: moderationItemStatusSchema,
  cause: moderationCauseSchema,
  holdReason: holdReasonSchema.nullable(),
  /** Word-list holds: the words found. */
  matchedWords: z.array(z.string()),
  /** Reports not yet dismissed, by reason. */
  reportCount: z.number().int().min(0),
  reportReasons: z.partialRecord(reportReasonSchema, z.number().int()),
  lastReportedAt: isoDateTime.nullable(),
  enteredAt: isoDateTime,
  decision: moderationDecisionSchema.nullable(),
  decidedAt: isoDateTime.nullable(),
  decidedBy: personSchema.nullable(),
});
export type ModerationItem = z.infer<typeof moderationItemSchema>;

export const moderationQueueOrderSchema = z.enum(moderationQueueOrders);

export const moderationQueueQuerySchema = z.strictObject({
  status: moderationItemStatusSchema.default('pending'),
  order: moderationQueueOrderSchema.default('newest'),
  consultationId: idSchema.optional(),
  cause: moderationCauseSchema.optional(),
  /** Items with at least one open report of this reason. */
  reason: reportReasonSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type ModerationQueueQuery = z.infer<typeof moderationQueueQuerySchema>;

export const moderationQueueSchema = pageOf(moderationItemSchema).extend({
  /** `total` stopped at moderationQueueCountCap: there are more items than that. */
  totalCapped: z.boolean(),
  /** The newest live event id when read: subscribe to `moderation:queue` from it. */
  lastEventId: z.number().int().min(0),
});
export type ModerationQueue = z.infer<typeof moderationQueueSchema>;

export const moderationReportSchema = z.object({
  id: z.uuid(),
  reason: reportReasonSchema,
  details: z.string().nullable(),
  reporter: personSchema,
  createdAt: isoDateTime,
  /** Dismissed by an earlier decision. */
  dismissed: z.boolean(),
});

/** An earlier decision on one of the author's items. */
export const authorDecisionSchema = z.object({
  itemId: z.uuid(),
  decision: moderationDecisionSchema,
  reasonCode: hideReasonCodeSchema.nullable(),
  reasonText: z.string().nullable(),
  decidedAt: isoDateTime,
  moderator: personSchema,
});

export const moderatorNoteSchema = z.object({
  id: z.uuid(),
  body: z.string(),
  author: personSchema,
  createdAt: isoDateTime,
});
export type ModeratorNote = z.infer<typeof moderatorNoteSchema>;

/** A moderator or admin action on the account (warning, suspension, lifting it), from the audit log. */
export const accountActionSchema = z.object({
  action: z.string(),
  reason: z.string().nullable(),
  actor: personSchema.nullable(),
  createdAt: isoDateTime,
  /** Suspensions: when it ends (null: permanent). */
  until: isoDateTime.nullable(),
});

/** What a moderator sees about a user: account, standing, history and private notes. */
export const moderationUserSchema = personSchema.extend({
  role: roleSchema,
  accountCreatedAt: isoDateTime,
  suspended: z.boolean(),
  suspendedReason: z.string().nullable(),
  /** null while suspended: permanent. */
  suspendedUntil: isoDateTime.nullable(),
  commentCount: z.number().int(),
  hiddenCount: z.number().int(),
  decisions: z.array(authorDecisionSchema),
  accountActions: z.array(accountActionSchema),
  notes: z.array(moderatorNoteSchema),
});
export type ModerationUser = z.infer<typeof moderationUserSchema>;

/** One item with its context: parent and replies, every report, the author's history. */
export const moderationItemDetailSchema = moderationItemSchema.extend({
  parent: commentSchema.nullable(),
  replies: z.array(commentSchema),
  reports: z.array(moderationReportSchema),
  authorHistory: moderationUserSchema,
});
export type ModerationItemDetail = z.infer<typeof moderationItemDetailSchema>;

// ---------------------------------------------------------------------------------------------
// Moderators: decisions

const reasonText = multilineText(limits.moderationReasonText).pipe(z.string().trim());

/**
 * A decision on a queue item. approve: show it (held → published) and dismiss its reports; hide: hide
 * with a public reason; restore: show a hidden comment again; review: dismiss without changing it.
 */
export const moderationActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve') }),
  z.object({
    action: z.literal('hide'),
    reasonCode: hideReasonCodeSchema,
    reasonText: reasonText.optional(),
  }),
  z.object({ action: z.literal('restore') }),
  z.object({ action: z.literal('review') }),
]);
export type ModerationAction = z.infer<typeof moderationActionSchema>;

/** `hide` with `other` needs the moderator's own words. */
export const moderationDecisionBodySchema = moderationActionSchema.refine(
  (value) => value.action !== 'hide' || value.reasonCode !== 'other' || Boolean(value.reasonText),
  { path: ['reasonText'], message: 'required' },
);
export type ModerationDecisionBody = z.infer<typeof moderationDecisionBodySchema>;

export const maxBulkItems = 100;
export const moderationBulkBodySchema = z.object({
  itemIds: z.array(idSchema).min(1).max(maxBulkItems),
  decision: moderationDecisionBodySchema,
});
export type ModerationBulkBody = z.infer<typeof moderationBulkBodySchema>;

/** Per item: decided now, or why not (e.g. another moderator decided it first). */
export const moderationBulkResultSchema = z.object({
  results: z.array(
    z.discriminatedUnion('ok', [
      z.object({ itemId: z.uuid(), ok: z.literal(true), item: moderationItemSchema }),
      z.object({ itemId: z.uuid(), ok: z.literal(false), code: z.string(), message: z.string() }),
    ]),
  ),
});
export type ModerationBulkResult = z.infer<typeof moderationBulkResultSchema>;

// ---------------------------------------------------------------------------------------------
// Moderators: users

const accountReason = multilineText(limits.accountActionReason).pipe(z.string().trim().min(1));

export const warnUserBodySchema = z.object({ reason: accountReason });
export type WarnUserBody = z.infer<typeof warnUserBodySchema>;

/** Suspends for `durationDays`, or permanently (null). Ends the user's sessions and live sockets. */
export const moderationSuspendBodySchema = z.object({
  reason: accountReason,
  durationDays: z.number().int().min(1).max(3650).nullable(),
});
export type ModerationSuspendBody = z.infer<typeof moderationSuspendBodySchema>;

export const moderatorNoteBodySchema = z.object({
  body: multilineText(limits.moderatorNote).pipe(z.string().trim().min(1)),
});
export type ModeratorNoteBody = z.infer<typeof moderatorNoteBodySchema>;

// ---------------------------------------------------------------------------------------------
// Audit log and statistics

export const auditQuerySchema = z.strictObject({
  actorId: idSchema.optional(),
  /** Part of the actor's display name, any case (the page's "who" search). */
  actor: z.string().trim().min(1).max(100).optional(),
  /** Exact action, e.g. `moderation.hidden`, or a prefix ending in a dot, e.g. `moderation.`. */
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,64}$/)
    .optional(),
  targetType: z
    .string()
    .trim()
    .regex(/^[a-z_]{1,32}$/)
    .optional(),
  targetId: z.string().trim().max(64).optional(),
  /** Inclusive calendar days in Europe/Sofia (YYYY-MM-DD). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The CSV export takes the list's filters; it pages by itself. */
export const auditExportQuerySchema = auditQuerySchema.omit({ page: true, pageSize: true });

/**
 * The target of an audit entry as people know it, read when the log is listed: a user's display
 * name, the start of a comment, a consultation's, event's or survey's title. `name` is null once
 * the target is gone (or has no name: the moderation settings).
 */
export const auditTargetSchema = z.object({
  /** The Bulgarian title, or the name or text as written. */
  name: z.string().nullable(),
  /** The English title, where the target has one. */
  nameEn: z.string().nullable(),
  /** The consultation a comment belongs to; the survey an answer belongs to. */
  consultationId: idSchema.nullable(),
  surveyId: idSchema.nullable(),
});
export type AuditTarget = z.infer<typeof auditTargetSchema>;

export const auditEntrySchema = z.object({
  id: z.uuid(),
  actor: personSchema.nullable(),
  /** One of `auditActions` (older entries may hold a code since retired). */
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  target: auditTargetSchema,
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: isoDateTime,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditListSchema = pageOf(auditEntrySchema);
export type AuditList = z.infer<typeof auditListSchema>;

export const moderationStatsSchema = z.object({
  pending: z.number().int(),
  pendingByCause: z.record(moderationCauseSchema, z.number().int()),
  /** The last 30 days in Europe/Sofia, oldest first, days without decisions included (0). */
  decidedPerDay: z.array(z.object({ date: z.iso.date(), count: z.number().int() })),
  /** Median seconds from entering the queue to a decision over the last 30 days. */
  medianSecondsToDecision: z.number().nullable(),
});
export type ModerationStats = z.infer<typeof moderationStatsSchema>;

// ---------------------------------------------------------------------------------------------
// Admins: automatic protection

const wordList = z.array(lineText(64)).max(500);
const settingsNumber = (name: keyof typeof moderationSettingsRanges) =>
  z.number().int().min(moderationSettingsRanges[name].min).max(moderationSettingsRanges[name].max);

export const moderationSettingsSchema = z.object({
  /** Distinct residents' reports that hide a comment until a moderator decides. */
  autoHideReports: settingsNumber('autoHideReports'),
  /** An account counts as new for this many hours after sign-up (0: never new). */
  newAccountHours: settingsNumber('newAccountHours'),
  /** A new account's first comments held for approval (0: none). */
  newAccountHeldComments: settingsNumber('newAccountHeldComments'),
  /** Comments a new account may post per minute (0: no limit). */
  newAccountPerMinute: settingsNumber('newAccountPerMinute'),
  /** Comments a new account may post while new (0: no limit). */
  newAccountPerDay: settingsNumber('newAccountPerDay'),
  holdLinksFromNewAccounts: z.boolean(),
  /** Words or phrases that hold a comment (case-insensitive, whole words). */
  wordsBg: wordList,
  wordsEn: wordList,
});
export type ModerationSettings = z.infer<typeof moderationSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// In-app notices to authors

export const userNoticeKindSchema = z.enum([
  'comment_held',
  'comment_hidden',
  'comment_restored',
  'comment_approved',
  'warning',
]);

export const userNoticeSchema = z.object({
  id: z.uuid(),
  kind: userNoticeKindSchema,
  consultation: z
    .object({ id: z.uuid(), slug: z.string().nullable(), title: z.string() })
    .nullable(),
  commentId: z.uuid().nullable(),
  holdReason: holdReasonSchema.nullable(),
  reasonCode: hideReasonCodeSchema.nullable(),
  reasonText: z.string().nullable(),
  createdAt: isoDateTime,
  read: z.boolean(),
});
export type UserNotice = z.infer<typeof userNoticeSchema>;

export const userNoticeListSchema = z.object({
  items: z.array(userNoticeSchema),
  unread: z.number().int(),
});
export type UserNoticeList = z.infer<typeof userNoticeListSchema>;

// ---------------------------------------------------------------------------------------------
// Live events

/** On `moderation:queue`: an item entered, changed in, or left the queue (status resolved). */
export const moderationItemEventSchema = z.object({
  type: z.literal('item_changed'),
  item: moderationItemSchema,
});
/**
 * On `moderation:queue`: an admin saved the automatic protection's settings. Every instance drops
 * the settings it keeps for posting comments when it sees this (moderation/settings.ts).
 */
export const moderationSettingsEventSchema = z.object({ type: z.literal('settings_changed') });
export const moderationLiveEventSchema = z.discriminatedUnion('type', [
  moderationItemEventSchema,
  moderationSettingsEventSchema,
]);
export type ModerationLiveEvent = z.infer<typeof moderationLiveEventSchema>;

/** On `user:<id>`: a new notice; `account_suspended` also closes the user's sockets (4003). */
export const userLiveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notice'), notice: userNoticeSchema }),
  z.object({ type: z.literal('account_suspended') }),
]);
export type UserLiveEvent = z.infer<typeof userLiveEventSchema>;

/** This feature's endpoints (see routes.ts). */
export const moderationRoutes = defineRoutes({
  reportComment: {
    method: 'POST',
    path: '/api/comments/:commentId/reports',
    access: 'user',
    tag: 'moderation',
    summary: 'Report a comment to the moderators (once per resident per comment)',
    params: z.object({ commentId: idSchema }),
    body: createReportBodySchema,
    status: 201,
    response: reportReceiptSchema,
    errors: [400, 401, 403, 404, 409],
    idempotent: 'resumable',
  },
  moderationQueue: {
    method: 'GET',
    path: '/api/moderation/items',
    access: 'moderator',
    tag: 'moderation',
    summary: 'The queue: reported, auto-hidden and held comments, newest or most reported first',
    query: moderationQueueQuerySchema,
    response: moderationQueueSchema,
    errors: [400, 401, 403, 404, 409],
  },
  moderationItem: {
    method: 'GET',
    path: '/api/moderation/items/:id',
    access: 'moderator',
    tag: 'moderation',
    summary: 'One item in context: parent, replies, reports and the author’s history',
    params: idParamsSchema,
    response: moderationItemDetailSchema,
    errors: [400, 401, 403, 404, 409],
  },
  decideModerationItem: {
    method: 'POST',
    path: '/api/moderation/items/:id/decision',
    access: 'moderator',
    tag: 'moderation',
    summary: 'Approve, hide with a public reason, restore or mark reviewed',
    params: idParamsSchema,
    body: moderationDecisionBodySchema,
    response: moderationItemSchema,
    errors: [400, 401, 403, 404, 409],
  },
  decideModerationItems: {
    method: 'POST',
    path: '/api/moderation/items/bulk',
    access: 'moderator',
    tag: 'moderation',
    summary: 'The same decision on up to 100 items, each decided on its own',
    body: moderationBulkBodySchema,
    response: moderationBulkResultSchema,
    errors: [400, 401, 403, 404, 409],
  },
  moderationSettings: {
    method: 'GET',
    path: '/api/moderation/settings',
    access: 'admin',
    tag: 'moderation',
    summary: 'The automatic protection: auto-hide, holds, word lists, rate limits',
    response: moderationSettingsSchema,
    errors: [400, 401, 403, 404, 409],
  },
  saveModerationSettings: {
    method: 'PUT',
    path: '/api/moderation/settings',
    access: 'admin',
    tag: 'moderation',
    summary: 'Change the automatic protection (audited with the values before and after)',
    body: moderationSettingsSchema,
    response: moderationSettingsSchema,
    errors: [400, 401, 403, 404, 409],
  },
  moderationUser: {
    method: 'GET',
    path: '/api/moderation/users/:id',
    access: 'moderator',
    tag: 'moderation',
    summary: 'A user as moderators see them: standing, history, private notes',
    params: idParamsSchema,
    response: moderationUserSchema,
    errors: [400, 401, 403, 404, 409],
  },
  warnUser: {
    method: 'POST',
    path: '/api/moderation/users/:id/warn',
    access: 'moderator',
    tag: 'moderation',
    summary: 'Warn a user (notice in the app and by mail)',
    params: idParamsSchema,
    body: warnUserBodySchema,
    response: moderationUserSchema,
    errors: [400, 401, 403, 404, 409],
  },
  moderationSuspendUser: {
    method: 'POST',
    path: '/api/moderation/users/:id/suspend',
    access: 'moderator',
    tag: 'moderation',
    summary: 'Suspend a user for some days or permanently (ends sessions, closes live sockets)',
    params: idParamsSchema,
    body: moderationSuspendBodySchema,
    response: moderationUserSchema,
    errors: [400, 401, 403, 404, 409],
  },
  moderationUnsuspendUser: {
    method: 'POST',
    path: '/api/moderation/users/:id/unsuspend',
    access: 'moderator',
    tag: 'moderation',
    summary: 'Lift a suspension',
    params: idParamsSchema,
    response: moderationUserSchema,
    errors: [400, 401, 403, 404, 409],
  },
  addModeratorNote: {
    method: 'POST',
    path: '/api/moderation/users/:id/notes',
    access: 'moderator',
    tag: 'moderation',
    summary: 'Add a private note on a user (staff only; the text is not in the audit log)',
    params: idParamsSchema,
    body: moderatorNoteBodySchema,
    status: 201,
    response: moderatorNoteSchema,
    errors: [400, 401, 403, 404, 409],
  },
  auditLog: {
    method: 'GET',
    path: '/api/moderation/audit',
    access: 'moderator',
    tag: 'moderation',
    summary: 'The audit log of staff actions, newest first, filtered',
    query: auditQuerySchema,
    response: auditListSchema,
    errors: [400, 401, 403],
  },
  auditCsv: {
    method: 'GET',
    path: '/api/moderation/audit.csv',
    access: 'moderator',
    tag: 'moderation',
    summary: 'The filtered audit log as CSV (UTF-8 with BOM, times in Europe/Sofia)',
    query: auditExportQuerySchema,
    response: { file: ['text/csv'], description: 'RFC 4180 CSV, one entry a row, newest first' },
    errors: [400, 401, 403],
  },
  moderationStats: {
    method: 'GET',
    path: '/api/moderation/stats',
    access: 'moderator',
    tag: 'moderation',
    summary: 'Queue size, decisions per day (30 days, Europe/Sofia), median time to decision',
    response: moderationStatsSchema,
    errors: [400, 401, 403],
  },
  notices: {
    method: 'GET',
    path: '/api/account/notices',
    access: 'user',
    tag: 'account',
    summary: 'My moderation notices (newest 50) and how many are unread',
    response: userNoticeListSchema,
    errors: [401, 403],
  },
  markNoticesRead: {
    method: 'POST',
    path: '/api/account/notices/read',
    access: 'user',
    tag: 'account',
    summary: 'Mark all my notices read',
    response: userNoticeListSchema,
    errors: [401, 403],
  },
});
