import {
  adminUserSchema,
  changeRoleBodySchema,
  errorBodySchema,
  idParamsSchema,
  suspendBodySchema,
  userListQuerySchema,
  userListSchema,
} from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../plugins/auth';
import type { AuthDeps } from '../auth/service';
import * as usersService from './service';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/** Admin user management: search, roles, suspension. */
export const userAdminRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps }> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Search users',
        querystring: userListQuerySchema,
        response: { 200: userListSchema, ...errors },
      },
    },
    async (request) => usersService.listUsers(deps, request.query),
  );

  app.patch(
    '/:id/role',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Change a user’s role',
        params: idParamsSchema,
        body: changeRoleBodySchema,
        response: { 200: adminUserSchema, ...errors },
      },
    },
    async (request) =>
      usersService.changeRole(deps, requireUser(request).id, request.params.id, request.body.role),
  );

  app.post(
    '/:id/suspend',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Suspend an account for some days or permanently (ends its sessions)',
        params: idParamsSchema,
        body: suspendBodySchema,
        response: { 200: adminUserSchema, ...errors },
      },
    },
    async (request) =>
      usersService.toAdminUser(
        await usersService.suspendUser(deps, requireUser(request), request.params.id, request.body),
      ),
  );

  app.post(
    '/:id/unsuspend',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Lift a suspension',
        params: idParamsSchema,
        response: { 200: adminUserSchema, ...errors },
      },
    },
    async (request) =>
      usersService.toAdminUser(
        await usersService.unsuspendUser(deps, requireUser(request), request.params.id),
      ),
  );
};
