import { routes } from '@sabor/contracts';
import type { Database } from '@sabor/db';
import type { FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import { listNotices, markNoticesRead } from './notices';

/** The signed-in person's notices about the moderation of their comments and account. */
export const noticeRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  implement(app, routes.notices, async (request) =>
    listNotices(db, requireUser(request).id, request.locale),
  );

  implement(app, routes.markNoticesRead, async (request) =>
    markNoticesRead(db, requireUser(request).id, request.locale),
  );
};
