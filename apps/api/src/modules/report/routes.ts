import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config';
import { sendFile } from '../../file-answer';
import { requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import { reportCsv } from './csv';
import { reportFileName } from './format';
import { reportPdf } from './pdf';
import * as service from './service';

type Options = { deps: service.ReportDeps & { config: Config } };

/** Public: official responses, and the published report as JSON, CSV and PDF. */
export const reportRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.consultationResponses, async (request) =>
    service.listConsultationResponses(deps, request.params.id),
  );

  implement(app, routes.consultationReport, async (request) =>
    service.getPublishedReport(deps, request.params.id),
  );

  implement(app, routes.consultationReportCsv, async (request, reply) => {
    const report = await service.getPublishedReport(deps, request.params.id);
    return sendFile(
      reply,
      'text/csv; charset=utf-8',
      { fileName: reportFileName(report, 'csv'), cache: 'no-cache' },
      reportCsv(report, request.locale),
    );
  });

  implement(app, routes.consultationReportPdf, async (request, reply) => {
    const report = await service.getPublishedReport(deps, request.params.id);
    const pdf = await reportPdf(report, request.locale, deps.config.site.name[request.locale]);
    return sendFile(
      reply,
      'application/pdf',
      { fileName: reportFileName(report, 'pdf'), cache: 'no-cache' },
      pdf,
    );
  });
};

/** Staff: official responses to proposals, the report preview and its publication. */
export const reportAdminRoutes: FastifyPluginAsync<Options> = async (app, { deps }) => {
  implement(app, routes.respondToProposal, async (request) =>
    service.respondToProposal(deps, requireUser(request).id, request.params.id, request.body),
  );

  implement(app, routes.reportPreview, async (request) =>
    service.previewReport(deps, request.params.id),
  );

  implement(app, routes.publishReport, async (request, reply) => {
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
  });
};
