import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../../errors';
import { implement } from '../../route';
import { findOutboxMail, listOutboxMails } from './repository';

/** The admin Outbox page: every mail Sabor queued, whether or not SMTP is configured. */
export const mailRoutes: FastifyPluginAsync = async (app) => {
  implement(app, routes.outbox, async (request) => {
    const { page, pageSize, to } = request.query;
    const { items, total } = await listOutboxMails(app.db, { page, pageSize, to });
    return { items, page, pageSize, total };
  });

  implement(app, routes.outboxMail, async (request) => {
    const mail = await findOutboxMail(app.db, request.params.id);
    if (!mail) throw new ApiError(404, 'not_found');
    return mail;
  });
};
