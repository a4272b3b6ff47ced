import {
  changePasswordBodySchema,
  dataExportSchema,
  deleteAccountBodySchema,
  errorBodySchema,
  okSchema,
  profileSchema,
  revokedSchema,
  sessionListSchema,
  updateProfileBodySchema,
} from '@sabor/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unauthorized } from '../../errors';
import type { AuthDeps } from '../auth/service';
import { invalidateUserSessions } from '../auth/session-service';
import * as account from './service';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
};

function signedIn(request: FastifyRequest) {
  if (!request.userRow || !request.sessionId) throw unauthorized();
  return { user: request.userRow, sessionId: request.sessionId };
}

/** The signed-in person's profile, password, sessions and personal data. */
export const accountRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps }> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'My profile',
        response: { 200: profileSchema, ...errors },
      },
    },
    async (request) => account.toProfile(signedIn(request).user),
  );

  app.patch(
    '/',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'Change display name or language',
        body: updateProfileBodySchema,
        response: { 200: profileSchema, ...errors },
      },
    },
    async (request) => account.updateProfile(deps, signedIn(request).user.id, request.body),
  );

  app.post(
    '/password',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'Change password; other sessions end',
        body: changePasswordBodySchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      const { user, sessionId } = signedIn(request);
      await account.changePassword(
        deps,
        user,
        sessionId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return { ok: true as const };
    },
  );

  app.get(
    '/sessions',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'My active sessions',
        response: { 200: sessionListSchema, ...errors },
      },
    },
    async (request) => {
      const { user, sessionId } = signedIn(request);
      return { sessions: await account.sessionsOf(deps, user.id, sessionId) };
    },
  );

  app.post(
    '/sessions/revoke-others',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'Sign out everywhere else',
        response: { 200: revokedSchema, ...errors },
      },
    },
    async (request) => {
      const { user, sessionId } = signedIn(request);
      return { revoked: await invalidateUserSessions(app.db, user.id, sessionId) };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'End one of my sessions',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
        response: { 200: okSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { user, sessionId } = signedIn(request);
      await account.revokeSession(deps, user.id, request.params.id);
      if (request.params.id === sessionId) app.sessionCookie.clear(reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/export',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'Download everything stored about me',
        response: { 200: dataExportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { user, sessionId } = signedIn(request);
      void reply.header('content-disposition', 'attachment; filename="sabor-my-data.json"');
      return account.exportData(deps, user, sessionId);
    },
  );

  app.post(
    '/delete',
    {
      config: { access: 'user' },
      schema: {
        tags: ['account'],
        summary: 'Delete my account and personal data',
        body: deleteAccountBodySchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request, reply) => {
      await account.deleteAccount(deps, signedIn(request).user, request.body.password);
      app.sessionCookie.clear(reply);
      return { ok: true as const };
    },
  );
};
