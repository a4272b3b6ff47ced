import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import type { AuthDeps } from '../auth/service';
import { suspendUser, unsuspendUser } from '../users/service';
import { addModeratorNote, loadModerationUser, warnUser } from './users';

/**
 * Moderators on people: a user's standing and history, warnings, suspensions and private notes.
 * Admins may do all of it; a moderator may warn or suspend residents only.
 */
export const moderationUserRoutes: FastifyPluginAsync<{ deps: AuthDeps }> = async (
  app,
  { deps },
) => {
  implement(app, routes.moderationUser, async (request) =>
    loadModerationUser(deps.db, request.params.id),
  );

  implement(app, routes.warnUser, async (request) =>
    warnUser(deps, requireUser(request), request.params.id, request.body.reason),
  );

  implement(app, routes.moderationSuspendUser, async (request) => {
    await suspendUser(deps, requireUser(request), request.params.id, request.body);
    return loadModerationUser(deps.db, request.params.id);
  });

  implement(app, routes.moderationUnsuspendUser, async (request) => {
    await unsuspendUser(deps, requireUser(request), request.params.id);
    return loadModerationUser(deps.db, request.params.id);
  });

  implement(app, routes.addModeratorNote, async (request, reply) => {
    const note = await addModeratorNote(
      deps.db,
      requireUser(request).id,
      request.params.id,
      request.body.body,
    );
    return reply.code(201).send(note);
  });
};
