import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import type { AuthDeps } from '../auth/service';
import * as usersService from './service';

/** Admin user management: search, roles, suspension. */
export const userAdminRoutes: FastifyPluginAsync<{ deps: AuthDeps }> = async (app, { deps }) => {
  implement(app, routes.users, async (request) => usersService.listUsers(deps, request.query));

  implement(app, routes.changeRole, async (request) =>
    usersService.changeRole(deps, requireUser(request).id, request.params.id, request.body.role),
  );

  implement(app, routes.suspend, async (request) =>
    usersService.toAdminUser(
      await usersService.suspendUser(deps, requireUser(request), request.params.id, request.body),
    ),
  );

  implement(app, routes.unsuspend, async (request) =>
    usersService.toAdminUser(
      await usersService.unsuspendUser(deps, requireUser(request), request.params.id),
    ),
  );
};
