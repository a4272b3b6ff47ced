import { z } from 'zod';
import { defineRoutes } from './route';
import {
  commentStanceSchema,
  proposalDecisionSchema,
  proposalResponseSchema,
  type CommentStance,
  type ProposalDecision,
} from './comments';
import { idParamsSchema, isoDateTime, multilineText, type Locale } from './common';
import { isFinalDecision, limits } from './values';

const reasonText = multilineText(limits.proposalResponseReason).pipe(z.string().trim());

/**
 * Staff's response to a proposal. A public reason is required for the final decisions and optional
 * (empty means none) for received and under review.
 */
export const proposalResponseBodySchema = z
  .object({
    decision: proposalDecisionSchema,
    reason: reasonText.nullable().optional(),
  })
  .superRefine((value, context) => {
    if (isFinalDecision(value.decision) && !value.reason) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'required' });
    }
  });
export type ProposalResponseBody = z.infer<typeof proposalResponseBodySchema>;

export const proposalResponseListSchema = z.object({ items: z.array(proposalResponseSchema) });
export type ProposalResponseList = z.infer<typeof proposalResponseListSchema>;

/** Live event on topic `consultation:<id>` when a response is published or changed. */
export const responsePublishedEventSchema = z.object({
  type: z.literal('response_published'),
  commentId: z.uuid(),
  decision: proposalDecisionSchema,
  reason: z.string().nullable(),
  updatedAt: isoDateTime,
});
export type ResponsePublishedEvent = z.infer<typeof responsePublishedEventSchema>;

export const publishReportBodySchema = z.object({
  /** Staff's introduction and conclusions, Markdown as written. */
  summary: multilineText(limits.reportSummary).pipe(z.string().trim().min(1)),
});
export type PublishReportBody = z.infer<typeof publishReportBodySchema>;

/** One proposal in the report, in the order it was received. */
export const reportProposalSchema = z.object({
  commentId: z.uuid(),
  /** Position in the report, from 1. */
  number: z.number().int(),
  /** null when the author has deleted their account; clients show "deleted account". */
  authorName: z.string().nullable(),
  createdAt: isoDateTime,
  /** The proposal's Markdown as written. */
  body: z.string(),
  stance: commentStanceSchema.nullable(),
  supportCount: z.number().int(),
  /** The consultation version the proposal was written on. */
  versionNumber: z.number().int(),
  /** null when staff have not responded at all (only in the preview). */
  decision: proposalDecisionSchema.nullable(),
  reason: z.string().nullable(),
});
export type ReportProposal = z.infer<typeof reportProposalSchema>;

export const reportTotalsSchema = z.object({
  /** Proposals in the report (top-level comments not deleted by their authors). */
  proposals: z.number().int(),
  /** Proposals their authors deleted; they are not listed. */
  withdrawn: z.number().int(),
  /** Proposals moderators hid (spam, abuse, personal data); they are not listed. */
  hidden: z.number().int(),
  byDecision: z.object({
    accepted: z.number().int(),
    partly_accepted: z.number().int(),
    not_accepted: z.number().int(),
    under_review: z.number().int(),
    received: z.number().int(),
    none: z.number().int(),
  }),
  byStance: z.object({
    for: z.number().int(),
    against: z.number().int(),
    neutral: z.number().int(),
    none: z.number().int(),
  }),
  /** Distinct residents who commented (proposals and replies; deleted comments still count). */
  participants: z.number().int(),
});
export type ReportTotals = z.infer<typeof reportTotalsSchema>;

export const reportConsultationSchema = z.object({
  id: z.uuid(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  responsibleUnit: z.string(),
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  closedReason: z.string().nullable(),
});

/** The published report (справка) of a consultation. */
export const consultationReportSchema = z.object({
  consultation: reportConsultationSchema,
  summary: z.object({ source: z.string(), html: z.string() }),
  publishedAt: isoDateTime,
  totals: reportTotalsSchema,
  proposals: z.array(reportProposalSchema),
});
export type ConsultationReport = z.infer<typeof consultationReportSchema>;

/** The report as it would be published now, for staff, with the proposals still lacking a decision. */
export const consultationReportPreviewSchema = z.object({
  consultation: reportConsultationSchema,
  totals: reportTotalsSchema,
  proposals: z.array(reportProposalSchema),
  /** Proposals without a final decision (none, received or under review); publishing needs none. */
  missingDecisions: z.array(z.uuid()),
  /** True when the consultation is closed and every proposal has a final decision. */
  publishable: z.boolean(),
});
export type ConsultationReportPreview = z.infer<typeof consultationReportPreviewSchema>;

export const proposalDecisionLabels: Record<ProposalDecision, Record<Locale, string>> = {
  received: { bg: 'Получено', en: 'Received' },
  under_review: { bg: 'В процес на разглеждане', en: 'Under review' },
  accepted: { bg: 'Приема се', en: 'Accepted' },
  partly_accepted: { bg: 'Приема се частично', en: 'Partly accepted' },
  not_accepted: { bg: 'Не се приема', en: 'Not accepted' },
};

export const proposalStanceLabels: Record<CommentStance, Record<Locale, string>> = {
  for: { bg: 'За', en: 'For' },
  against: { bg: 'Против', en: 'Against' },
  neutral: { bg: 'Неутрално', en: 'Neutral' },
};

/** Shown instead of the name of an author who deleted their account. */
export const deletedAuthorLabel: Record<Locale, string> = {
  bg: 'Изтрит профил',
  en: 'Deleted account',
};

/** PDF downloads of a report allowed per client address per minute. */
export const pdfsPerMinute = 30;

/**
 * This feature's endpoints (see routes.ts): official responses and the published report (public),
 * writing responses, previewing and publishing the report (staff).
 */
export const reportRoutes = defineRoutes({
  consultationResponses: {
    method: 'GET',
    path: '/api/consultations/:id/responses',
    access: 'public',
    tag: 'consultations',
    summary: 'Official responses to the proposals of a consultation',
    params: idParamsSchema,
    response: proposalResponseListSchema,
    errors: [400, 404],
  },
  consultationReport: {
    method: 'GET',
    path: '/api/consultations/:id/report',
    access: 'public',
    tag: 'consultations',
    summary: 'The published report (справка); 404 until it is published',
    params: idParamsSchema,
    response: consultationReportSchema,
    errors: [400, 404],
  },
  consultationReportCsv: {
    method: 'GET',
    path: '/api/consultations/:id/report.csv',
    access: 'public',
    tag: 'consultations',
    summary: 'The published report as CSV (UTF-8 with BOM, header in the caller’s language)',
    params: idParamsSchema,
    response: { file: ['text/csv'], description: 'RFC 4180 CSV, one proposal a row' },
    errors: [400, 404],
  },
  consultationReportPdf: {
    method: 'GET',
    path: '/api/consultations/:id/report.pdf',
    access: 'public',
    tag: 'consultations',
    summary: 'The published report as PDF, in the caller’s language',
    params: idParamsSchema,
    response: { file: ['application/pdf'], description: 'A4 PDF with embedded fonts' },
    errors: [400, 404],
    // Laying out a PDF costs far more than answering JSON: a tighter limit per address.
    rateLimit: { max: pdfsPerMinute, timeWindow: '1 minute' },
  },
  respondToProposal: {
    method: 'PUT',
    path: '/api/admin/comments/:id/response',
    access: 'admin',
    tag: 'admin',
    summary: 'Write or change the official response to a proposal (a top-level comment)',
    params: idParamsSchema,
    body: proposalResponseBodySchema,
    response: proposalResponseSchema,
    errors: [400, 401, 403, 404, 409],
  },
  reportPreview: {
    method: 'GET',
    path: '/api/admin/consultations/:id/report/preview',
    access: 'admin',
    tag: 'admin',
    summary: 'The report as it would be published now, with the proposals lacking a decision',
    params: idParamsSchema,
    response: consultationReportPreviewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  publishReport: {
    method: 'POST',
    path: '/api/admin/consultations/:id/report',
    access: 'admin',
    tag: 'admin',
    summary: 'Publish the report of a closed consultation (every proposal needs a final decision)',
    params: idParamsSchema,
    body: publishReportBodySchema,
    status: 201,
    response: consultationReportSchema,
    errors: [400, 401, 403, 404, 409],
    idempotent: 'resumable',
  },
});
