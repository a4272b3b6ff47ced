import {
  errorBodySchema,
  idParamsSchema,
  moderationSuspendBodySchema,
  moderationUserSchema,
  moderatorNoteBodySchema,
  moderatorNoteSchema,
  warnUserBodySchema,
} from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../../plugins/auth';
import type { AuthDeps } from '../auth/service';
import { suspendUser, unsuspendUser } from '../users/service';
import { addModeratorNote, loadModerationUser, warnUser } from './users';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/**
 * Moderators on people: a user's standing and history, warnings, suspensions and private notes.
 * Admins may do all of it; a moderator may warn or suspend residents only.
 */
export const moderationUserRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    '/:id',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'A user as moderators see them: standing, history, private notes',
        params: idParamsSchema,
        response: { 200: moderationUserSchema, ...errors },
      },
    },
    async (request) => loadModerationUser(deps.db, request.params.id),
  );

  app.post(
    '/:id/warn',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'Warn a user (notice in the app and by mail)',
        params: idParamsSchema,
        body: warnUserBodySchema,
        response: { 200: moderationUserSchema, ...errors },
      },
    },
    async (request) => warnUser(deps, requireUser(request), request.params.id, request.body.reason),
  );

  app.post(
    '/:id/suspend',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'Suspend a user for some days or permanently (ends sessions, closes live sockets)',
        params: idParamsSchema,
        body: moderationSuspendBodySchema,
        response: { 200: moderationUserSchema, ...errors },
      },
    },
    async (request) => {
      await suspendUser(deps, requireUser(request), request.params.id, request.body);
      return loadModerationUser(deps.db, request.params.id);
    },
  );

  app.post(
    '/:id/unsuspend',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'Lift a suspension',
        params: idParamsSchema,
        response: { 200: moderationUserSchema, ...errors },
      },
    },
    async (request) => {
      await unsuspendUser(deps, requireUser(request), request.params.id);
      return loadModerationUser(deps.db, request.params.id);
    },
  );

  app.post(
    '/:id/notes',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'Add a private note on a user (staff only; the text is not in the audit log)',
        params: idParamsSchema,
        body: moderatorNoteBodySchema,
        response: { 201: moderatorNoteSchema, ...errors },
      },
    },
    async (request, reply) => {
      const note = await addModeratorNote(
        deps.db,
        requireUser(request).id,
        request.params.id,
        request.body.body,
      );
      return reply.code(201).send(note);
    },
  );
};
