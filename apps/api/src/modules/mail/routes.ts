import {
  errorBodySchema,
  idParamsSchema,
  outboxListSchema,
  outboxMailSchema,
  outboxQuerySchema,
} from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../errors';
import { findOutboxMail, listOutboxMails } from './repository';

/** The admin Outbox page: every mail Sabor queued, whether or not SMTP is configured. */
export const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Queued and sent mails, newest first',
        querystring: outboxQuerySchema,
        response: { 200: outboxListSchema },
      },
    },
    async (request) => {
      const { page, pageSize, to } = request.query;
      const { items, total } = await listOutboxMails(app.db, { page, pageSize, to });
      return { items, page, pageSize, total };
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'One queued or sent mail',
        params: idParamsSchema,
        response: { 200: outboxMailSchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const mail = await findOutboxMail(app.db, request.params.id);
      if (!mail) throw new ApiError(404, 'not_found');
      return mail;
    },
  );
};
