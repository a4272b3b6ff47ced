import {
  adminConsultationListQuerySchema,
  closeConsultationBodySchema,
  consultationListQuerySchema,
  consultationListSchema,
  consultationSchema,
  consultationVersionBodySchema,
  createConsultationBodySchema,
  errorBodySchema,
  idParamsSchema,
  updateConsultationBodySchema,
} from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasRole, requireUser } from '../../plugins/auth';
import * as service from './service';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/** Public reading of consultations: list with filters and search, and one consultation. */
export const consultationRoutes: FastifyPluginAsyncZod<{ deps: service.ConsultationDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'List public consultations (open, upcoming, closed), with search',
        querystring: consultationListQuerySchema,
        response: { 200: consultationListSchema, 400: errorBodySchema },
      },
    },
    async (request) => service.listPublicConsultations(deps, request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'One consultation with its versions (drafts only for admins)',
        params: idParamsSchema,
        response: { 200: consultationSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) =>
      service.getConsultation(deps, request.params.id, {
        isAdmin: hasRole(request.user, 'admin'),
      }),
  );
};

/** Staff management of consultations: create, edit, publish, close early, revise. */
export const consultationAdminRoutes: FastifyPluginAsyncZod<{
  deps: service.ConsultationDeps;
}> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'List all consultations, drafts included',
        querystring: adminConsultationListQuerySchema,
        response: { 200: consultationListSchema, ...errors },
      },
    },
    async (request) => service.listAllConsultations(deps, request.query),
  );

  app.post(
    '/',
    {
      config: { access: 'admin', idempotent: 'resumable' },
      schema: {
        tags: ['admin'],
        summary: 'Create a consultation as a draft',
        body: createConsultationBodySchema,
        response: { 201: consultationSchema, ...errors },
      },
    },
    async (request, reply) => {
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
    },
  );

  app.patch(
    '/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Edit a consultation (dates only before it opens)',
        params: idParamsSchema,
        body: updateConsultationBodySchema,
        response: { 200: consultationSchema, ...errors },
      },
    },
    async (request) => service.updateConsultation(deps, request.params.id, request.body),
  );

  app.post(
    '/:id/publish',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Publish a draft: scheduled, or open at once when its opening time has passed',
        params: idParamsSchema,
        response: { 200: consultationSchema, ...errors },
      },
    },
    async (request) =>
      service.publishConsultation(deps, requireUser(request).id, request.params.id),
  );

  app.post(
    '/:id/close',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Close an open consultation early, with a public reason',
        params: idParamsSchema,
        body: closeConsultationBodySchema,
        response: { 200: consultationSchema, ...errors },
      },
    },
    async (request) =>
      service.closeConsultation(
        deps,
        requireUser(request).id,
        request.params.id,
        request.body.reason,
      ),
  );

  app.post(
    '/:id/versions',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Publish a revised body as a new version',
        params: idParamsSchema,
        body: consultationVersionBodySchema,
        response: { 200: consultationSchema, ...errors },
      },
    },
    async (request) =>
      service.publishVersion(deps, requireUser(request).id, request.params.id, request.body.body),
  );
};
