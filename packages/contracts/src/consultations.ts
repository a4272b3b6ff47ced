import { z } from 'zod';
import { defineRoutes } from './route';
import {
  emailSchema,
  idParamsSchema,
  isoDateTime,
  lineText,
  multilineText,
  pageOf,
  pageQuerySchema,
} from './common';
import {
  commentCreatedEventSchema,
  commentDeletedEventSchema,
  commentEditedEventSchema,
  commentHiddenEventSchema,
  commentRestoredEventSchema,
  supportChangedEventSchema,
} from './comments';
import { responsePublishedEventSchema } from './report';
import { consultationCategories, consultationStates, limits } from './values';

export const consultationCategorySchema = z.enum(consultationCategories);
export type ConsultationCategory = z.infer<typeof consultationCategorySchema>;

export const consultationStateSchema = z.enum(consultationStates);
export type ConsultationState = z.infer<typeof consultationStateSchema>;

/** Law on Normative Acts, art. 26: never under 14 days; under 30 only with a public reason. */
export const consultationMinimumDays = 14;
export const consultationStandardDays = 30;

const requiredMultiline = (max: number) => multilineText(max).pipe(z.string().trim().min(1));

const titleBg = lineText(limits.consultationTitle);
const titleEn = lineText(limits.consultationTitle).nullable();
const summary = requiredMultiline(limits.consultationSummary);
/** Markdown, stored exactly as written; the pages render a safe subset. */
const body = requiredMultiline(limits.consultationBody);
const shortPeriodReason = requiredMultiline(limits.shortPeriodReason).nullable();

/**
 * Opening and closing instants: ISO 8601 with an offset. The admin UI lets staff enter
 * Europe/Sofia local times and sends them with Sofia's offset for that date (+02:00 or +03:00);
 * the API stores and returns instants (UTC).
 */
const consultationInstant = isoDateTime;

export const createConsultationBodySchema = z.object({
  titleBg,
  titleEn: titleEn.optional(),
  summary,
  body,
  category: consultationCategorySchema,
  responsibleUnit: lineText(limits.responsibleUnit),
  contactEmail: emailSchema,
  opensAt: consultationInstant,
  closesAt: consultationInstant,
  shortPeriodReason: shortPeriodReason.optional(),
  /** Pre-moderation: every comment waits for a moderator's approval before it is shown. */
  premoderated: z.boolean().optional(),
});
export type CreateConsultationBody = z.infer<typeof createConsultationBodySchema>;

/** Any non-empty subset of the fields; dates only while draft or scheduled. */
export const updateConsultationBodySchema = createConsultationBodySchema
  .omit({ body: true })
  .partial()
  .extend({
    /** Rewrites the current text in place; only while the consultation is still a draft. */
    body: body.optional(),
  })
  .refine((fields) => Object.values(fields).some((value) => value !== undefined), {
    message: 'required',
  });
export type UpdateConsultationBody = z.infer<typeof updateConsultationBodySchema>;

export const closeConsultationBodySchema = z.object({
  reason: requiredMultiline(limits.closeReason),
});
export const consultationVersionBodySchema = z.object({ body });

export const consultationVersionSchema = z.object({
  number: z.number().int(),
  createdAt: isoDateTime,
});

export const consultationSummarySchema = z.object({
  id: z.uuid(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  summary: z.string(),
  category: consultationCategorySchema,
  state: consultationStateSchema,
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  /** Whole days until closing (rounded up) while open; null otherwise. */
  daysLeft: z.number().int().nullable(),
});
export type ConsultationSummary = z.infer<typeof consultationSummarySchema>;

export const consultationSchema = consultationSummarySchema.extend({
  body: z.string(),
  /** The body rendered as safe HTML (the staff subset: headings and tables too). */
  bodyHtml: z.string(),
  /** Residents who commented (deleted comments still count). */
  participantCount: z.number().int().min(0),
  responsibleUnit: z.string(),
  contactEmail: z.string(),
  shortPeriodReason: z.string().nullable(),
  closedReason: z.string().nullable(),
  /** Comments wait for a moderator's approval before they are shown. */
  premoderated: z.boolean(),
  currentVersion: z.number().int(),
  versions: z.array(consultationVersionSchema),
  publishedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Consultation = z.infer<typeof consultationSchema>;

/** Public filter: upcoming = scheduled; closed includes those whose report is out. */
export const consultationListQuerySchema = pageQuerySchema.extend({
  state: z.enum(['open', 'upcoming', 'closed']).optional(),
  category: consultationCategorySchema.optional(),
  q: multilineText(limits.consultationSearch).pipe(z.string().trim()).optional(),
});
export type ConsultationListQuery = z.infer<typeof consultationListQuerySchema>;

export const adminConsultationListQuerySchema = pageQuerySchema.extend({
  state: consultationStateSchema.optional(),
});

export const consultationListSchema = pageOf(consultationSummarySchema);
export type ConsultationList = z.infer<typeof consultationListSchema>;

/** Live event on topic `consultation:<id>` when the state changes. */
export const consultationStateChangedEventSchema = z.object({
  type: z.literal('state_changed'),
  state: consultationStateSchema,
});

/** Live event on topic `consultation:<id>` when a revised body is published. */
export const consultationVersionPublishedEventSchema = z.object({
  type: z.literal('version_published'),
  number: z.number().int(),
});

/** Every payload published on topic `consultation:<id>`. */
export const consultationLiveEventSchema = z.discriminatedUnion('type', [
  consultationStateChangedEventSchema,
  consultationVersionPublishedEventSchema,
  commentCreatedEventSchema,
  commentEditedEventSchema,
  commentHiddenEventSchema,
  commentRestoredEventSchema,
  commentDeletedEventSchema,
  supportChangedEventSchema,
  responsePublishedEventSchema,
]);
export type ConsultationLiveEvent = z.infer<typeof consultationLiveEventSchema>;

const adminErrors = [400, 401, 403, 404, 409] as const;

/** This feature's endpoints (see routes.ts). */
export const consultationRoutes = defineRoutes({
  consultations: {
    method: 'GET',
    path: '/api/consultations',
    access: 'public',
    tag: 'consultations',
    summary: 'List public consultations (open, upcoming, closed), with search',
    query: consultationListQuerySchema,
    response: consultationListSchema,
    errors: [400],
  },
  consultation: {
    method: 'GET',
    path: '/api/consultations/:id',
    access: 'public',
    tag: 'consultations',
    summary: 'One consultation with its versions (drafts only for admins)',
    params: idParamsSchema,
    response: consultationSchema,
    errors: [400, 404],
  },
  adminConsultations: {
    method: 'GET',
    path: '/api/admin/consultations',
    access: 'admin',
    tag: 'admin',
    summary: 'List all consultations, drafts included',
    query: adminConsultationListQuerySchema,
    response: consultationListSchema,
    errors: adminErrors,
  },
  createConsultation: {
    method: 'POST',
    path: '/api/admin/consultations',
    access: 'admin',
    tag: 'admin',
    summary: 'Create a consultation as a draft',
    body: createConsultationBodySchema,
    status: 201,
    response: consultationSchema,
    errors: adminErrors,
    idempotent: 'resumable',
  },
  updateConsultation: {
    method: 'PATCH',
    path: '/api/admin/consultations/:id',
    access: 'admin',
    tag: 'admin',
    summary: 'Edit a consultation (dates only before it opens)',
    params: idParamsSchema,
    body: updateConsultationBodySchema,
    response: consultationSchema,
    errors: adminErrors,
  },
  publishConsultation: {
    method: 'POST',
    path: '/api/admin/consultations/:id/publish',
    access: 'admin',
    tag: 'admin',
    summary: 'Publish a draft: scheduled, or open at once when its opening time has passed',
    params: idParamsSchema,
    response: consultationSchema,
    errors: adminErrors,
  },
  closeConsultation: {
    method: 'POST',
    path: '/api/admin/consultations/:id/close',
    access: 'admin',
    tag: 'admin',
    summary: 'Close an open consultation early, with a public reason',
    params: idParamsSchema,
    body: closeConsultationBodySchema,
    response: consultationSchema,
    errors: adminErrors,
  },
  publishConsultationVersion: {
    method: 'POST',
    path: '/api/admin/consultations/:id/versions',
    access: 'admin',
    tag: 'admin',
    summary: 'Publish a revised body as a new version',
    params: idParamsSchema,
    body: consultationVersionBodySchema,
    response: consultationSchema,
    errors: adminErrors,
  },
});
