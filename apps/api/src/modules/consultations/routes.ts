import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import * as service from './service';

/**
 * Consultations: the public list (with filters and search) and one consultation, and staff
 * management: create, edit, publish, close early, revise.
 */
export const consultationRoutes: FastifyPluginAsync<{ deps: service.ConsultationDeps }> = async (
  app,
  { deps },
) => {
  implement(app, routes.consultations, async (request) =>
    service.listPublicConsultations(deps, request.query),
  );
  implement(app, routes.consultation, async (request) =>
    service.getConsultation(deps, request.params.id, {
      isAdmin: hasRole(request.user, 'admin'),
    }),
  );

  implement(app, routes.adminConsultations, async (request) =>
    service.listAllConsultations(deps, request.query),
  );
  implement(app, routes.createConsultation, async (request, reply) => {
    const committedId = request.idempotency?.committedId;
    const consultation = committedId
      ? await service.getConsultation(deps, committedId, { isAdmin: true })
      : await service.createConsultation(
          deps,
          requireUser(request).id,
          request.body,
          request.idempotency,
        );
    return reply.code(201).send(consultation);
  });
  implement(app, routes.updateConsultation, async (request) =>
    service.updateConsultation(deps, request.params.id, request.body),
  );
  implement(app, routes.publishConsultation, async (request) =>
    service.publishConsultation(deps, requireUser(request).id, request.params.id),
  );
  implement(app, routes.closeConsultation, async (request) =>
    service.closeConsultation(
      deps,
      requireUser(request).id,
      request.params.id,
      request.body.reason,
    ),
  );
  implement(app, routes.publishConsultationVersion, async (request) =>
    service.publishVersion(deps, requireUser(request).id, request.params.id, request.body.body),
  );
};
