import {
  consultationReportPreviewSchema,
  consultationReportSchema,
  errorBodySchema,
  idParamsSchema,
  proposalResponseBodySchema,
  proposalResponseListSchema,
  proposalResponseSchema,
  publishReportBodySchema,
} from '@sabor/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config';
import { requireUser } from '../../plugins/auth';
import { reportCsv } from './csv';
import { reportFileName } from './format';
import { reportPdf } from './pdf';
import * as service from './service';

/** PDF downloads allowed per client address per minute. */
export const pdfsPerMinute = 30;

type Options = { deps: service.ReportDeps & { config: Config } };

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/** A file download: documented with its own media type; the body is sent as is. */
const fileResponse = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: z.string() } },
});

function download(
  reply: FastifyReply,
  contentType: string,
  fileName: string,
  body: string | Buffer,
) {
  return reply
    .type(contentType)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-cache')
    .send(body);
}

/** Public: official responses, and the published report as JSON, CSV and PDF. */
export const reportRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.get(
    '/:id/responses',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'Official responses to the proposals of a consultation',
        params: idParamsSchema,
        response: { 200: proposalResponseListSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => service.listConsultationResponses(deps, request.params.id),
  );

  app.get(
    '/:id/report',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'The published report (справка); 404 until it is published',
        params: idParamsSchema,
        response: { 200: consultationReportSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => service.getPublishedReport(deps, request.params.id),
  );

  app.get(
    '/:id/report.csv',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'The published report as CSV (UTF-8 with BOM, header in the caller’s language)',
        params: idParamsSchema,
        response: {
          200: fileResponse('text/csv', 'RFC 4180 CSV, one proposal a row'),
          400: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const report = await service.getPublishedReport(deps, request.params.id);
      return download(
        reply,
        'text/csv; charset=utf-8',
        reportFileName(report, 'csv'),
        reportCsv(report, request.locale),
      );
    },
  );

  app.get(
    '/:id/report.pdf',
    {
      // Laying out a PDF costs far more than answering JSON: a tighter limit per address.
      config: { access: 'public', rateLimit: { max: pdfsPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['consultations'],
        summary: 'The published report as PDF, in the caller’s language',
        params: idParamsSchema,
        response: {
          200: fileResponse('application/pdf', 'A4 PDF with embedded fonts'),
          400: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const report = await service.getPublishedReport(deps, request.params.id);
      const pdf = await reportPdf(report, request.locale, deps.config.site.name[request.locale]);
      return download(reply, 'application/pdf', reportFileName(report, 'pdf'), pdf);
    },
  );
};

/** Staff: official responses to proposals, the report preview and its publication. */
export const reportAdminRoutes: FastifyPluginAsyncZod<Options> = async (app, { deps }) => {
  app.put(
    '/comments/:id/response',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Write or change the official response to a proposal (a top-level comment)',
        params: idParamsSchema,
        body: proposalResponseBodySchema,
        response: { 200: proposalResponseSchema, ...errors },
      },
    },
    async (request) =>
      service.respondToProposal(deps, requireUser(request).id, request.params.id, request.body),
  );

  app.get(
    '/consultations/:id/report/preview',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The report as it would be published now, with the proposals lacking a decision',
        params: idParamsSchema,
        response: { 200: consultationReportPreviewSchema, ...errors },
      },
    },
    async (request) => service.previewReport(deps, request.params.id),
  );

  app.post(
    '/consultations/:id/report',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        tags: ['admin'],
        summary:
          'Publish the report of a closed consultation (every proposal needs a final decision)',
        params: idParamsSchema,
        body: publishReportBodySchema,
        response: { 201: consultationReportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const committedId = request.idempotency?.committedId;
      const report = committedId
        ? await service.getPublishedReport(deps, committedId)
        : await service.publishReport(
            deps,
            requireUser(request).id,
            request.params.id,
            request.body.summary,
            request.idempotency,
          );
      return reply.code(201).send(report);
    },
  );
};
