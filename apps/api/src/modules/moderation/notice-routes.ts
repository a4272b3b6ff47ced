import { errorBodySchema, userNoticeListSchema } from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '@sabor/db';
import { requireUser } from '../../plugins/auth';
import { listNotices, markNoticesRead } from './notices';

const errors = { 401: errorBodySchema, 403: errorBodySchema };

/** The signed-in person's notices about the moderation of their comments and account. */
export const noticeRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'My moderation notices (newest 50) and how many are unread',
        response: { 200: userNoticeListSchema, ...errors },
      },
    },
    async (request) => listNotices(db, requireUser(request).id, request.locale),
  );

  app.post(
    '/read',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'Mark all my notices read',
        response: { 200: userNoticeListSchema, ...errors },
      },
    },
    async (request) => markNoticesRead(db, requireUser(request).id, request.locale),
  );
};
