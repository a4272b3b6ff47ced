import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import * as service from './service';

function follower(request: FastifyRequest) {
  const user = requireUser(request);
  return { id: user.id, isAdmin: hasRole(user, 'admin') };
}

/**
 * Following consultations (mail when they close, when the report is out, when one's proposal is
 * answered) and leaving through the link in those mails without signing in.
 */
export const followRoutes: FastifyPluginAsync<{ deps: service.FollowDeps }> = async (
  app,
  { deps },
) => {
  implement(app, routes.followStatus, async (request) =>
    service.followStatus(deps, follower(request), request.params.id),
  );
  implement(app, routes.follow, async (request) =>
    service.follow(deps, follower(request), request.params.id),
  );
  implement(app, routes.unfollow, async (request) =>
    service.unfollow(deps, follower(request), request.params.id),
  );
  implement(app, routes.unsubscribeInfo, async (request) =>
    service.unsubscribeInfo(deps, request.query.token),
  );
  implement(app, routes.unsubscribe, async (request) => {
    const committedId = request.idempotency?.committedId;
    return committedId
      ? service.unsubscribed(deps.db, committedId)
      : service.unsubscribe(deps, request.body.token, request.idempotency);
  });
};
