import {
  errorBodySchema,
  followStatusSchema,
  idParamsSchema,
  unsubscribeBodySchema,
  unsubscribeInfoSchema,
  unsubscribeQuerySchema,
  unsubscribeResultSchema,
} from '@sabor/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasRole, requireUser } from '../../plugins/auth';
import * as service from './service';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

function follower(request: FastifyRequest) {
  const user = requireUser(request);
  return { id: user.id, isAdmin: hasRole(user, 'admin') };
}

/**
 * Following consultations (mail when they close, when the report is out, when one's proposal is
 * answered) and leaving through the link in those mails without signing in.
 */
export const followRoutes: FastifyPluginAsyncZod<{ deps: service.FollowDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    '/consultations/:id/follow',
    {
      config: { access: 'user' },
      schema: {
        tags: ['consultations'],
        summary: 'Whether I follow this consultation',
        params: idParamsSchema,
        response: { 200: followStatusSchema, ...errors },
      },
    },
    async (request) => service.followStatus(deps, follower(request), request.params.id),
  );

  app.put(
    '/consultations/:id/follow',
    {
      config: { access: 'user' },
      schema: {
        tags: ['consultations'],
        summary: 'Follow a consultation (idempotent)',
        params: idParamsSchema,
        response: { 200: followStatusSchema, ...errors },
      },
    },
    async (request) => service.follow(deps, follower(request), request.params.id),
  );

  app.delete(
    '/consultations/:id/follow',
    {
      config: { access: 'user' },
      schema: {
        tags: ['consultations'],
        summary: 'Stop following a consultation (idempotent)',
        params: idParamsSchema,
        response: { 200: followStatusSchema, ...errors },
      },
    },
    async (request) => service.unfollow(deps, follower(request), request.params.id),
  );

  app.get(
    '/follows/unsubscribe',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consultations'],
        summary: 'What a mailed unsubscribe link is about (changes nothing)',
        querystring: unsubscribeQuerySchema,
        response: { 200: unsubscribeInfoSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => service.unsubscribeInfo(deps, request.query.token),
  );

  app.post(
    '/follows/unsubscribe',
    {
      config: { access: 'public', idempotent: 'resumable' },
      schema: {
        tags: ['consultations'],
        summary: 'Stop following with the token of a mailed link, without signing in',
        body: unsubscribeBodySchema,
        response: { 200: unsubscribeResultSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const committedId = request.idempotency?.committedId;
      return committedId
        ? service.unsubscribed(deps.db, committedId)
        : service.unsubscribe(deps, request.body.token, request.idempotency);
    },
  );
};
